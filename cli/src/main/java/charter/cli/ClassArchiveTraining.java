package charter.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * The run the {@code charter} launcher makes its class-data archive from, once after every build:
 * the main commands on the embedded example Program, in one JVM. A dynamic archive holds the
 * classes of the run that wrote it, so one written by whatever command came first (a
 * {@code --version}, a {@code check}) left the compiler's JavaScript, the engine and the
 * reference interpreter to be loaded from the jars on every later {@code explain} or
 * {@code simulate}: a second of start-up each. What the commands print is thrown away; a command
 * that fails still loaded its classes.
 */
public final class ClassArchiveTraining {
    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws Exception {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        try (ExampleProgram example = ExampleProgram.materialise(DemoCommand.EXAMPLE, ClassArchiveTraining.class.getClassLoader())) {
            String dir = example.dir().toString();
            String events = example.events().toString();
            for (List<String> command : List.of(
                    List.of("check", dir),
                    List.of("demo"),
                    List.of("explain", dir, "staging_deploy_failed", "--event", "vercel-000100", "--events", events),
                    List.of("test", dir),
                    List.of("catalog", "vercel"))) {
                Main.run(command.toArray(String[]::new), nowhere, nowhere, Map.of());
            }
        }
        System.exit(0);   // the JavaScript and Reactor threads would keep the JVM up; the archive is written at exit
    }
}

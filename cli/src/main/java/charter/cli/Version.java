package charter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** `charter --version`: the build's version (filtered into version.properties by Maven) and the Java running it. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        }
        return new String[] {"charter " + p.getProperty("version", "unknown") + " (Java " + Runtime.version().feature() + ")"};
    }
}

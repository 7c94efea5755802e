package charter.compiler.load;

import java.io.IOException;
import java.nio.file.Path;

/** Where a path of a Program folder really leads: a Program reads nothing outside its folder, as from Git. */
public final class ProgramFolder {
    private ProgramFolder() {}

    /**
     * True when `path`, with every symbolic link on the way resolved, is inside `realRoot` (itself a real
     * path). A link that dangles, loops or cannot be resolved counts as leading outside.
     */
    public static boolean staysInside(Path realRoot, Path path) {
        try {
            return path.toRealPath().startsWith(realRoot);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}

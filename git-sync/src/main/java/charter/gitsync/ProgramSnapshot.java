package charter.gitsync;

import charter.compiler.load.ProgramFiles;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Program at one commit, read from Git objects (never the working tree): the
 * compiler's input and the scenario files, by path relative to the Program folder.
 *
 * @param folder    the Program folder inside the repository ("" for the top)
 * @param scenarios `scenarios/*.yaml` (and `.yml`), by path such as `scenarios/01_x.yaml`
 */
public record ProgramSnapshot(ProgramCommit commit, String folder, ProgramFiles files, Map<String, byte[]> scenarios) {
    public ProgramSnapshot {
        scenarios = java.util.Collections.unmodifiableMap(new TreeMap<>(scenarios));
    }

    public String sha() {
        return commit.sha();
    }
}

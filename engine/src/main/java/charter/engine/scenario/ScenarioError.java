package charter.engine.scenario;

/**
 * A scenario file that could not be run: malformed YAML, an unknown key, an unknown
 * rule in its expectations, an event the catalog refuses …
 *
 * @param file the scenario file, relative to the Program folder
 * @param line 1-based; 0 when the problem is the file as a whole
 * @param column 1-based; 0 when unknown
 */
public record ScenarioError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message;
    }
}

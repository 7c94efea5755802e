package charter.lsp;

import charter.compiler.parse.ProgramParser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed files by path and text: a keystroke changes one file, and the others of the Program are
 * not parsed again for the editor's index (the compiler's check parses them for itself).
 */
final class ParseCache {
    private record Key(String path, String text) {}

    private static final int MAX_ENTRIES = 256;
    private final ProgramParser parser = new ProgramParser();
    private final Map<Key, ProgramParser.Result> results = new ConcurrentHashMap<>();

    ProgramParser.Result parse(String path, String text) {
        Key key = new Key(path, text);
        ProgramParser.Result cached = results.get(key);
        if (cached != null) return cached;
        ProgramParser.Result result = parser.parse(path, text);
        // Old versions of an edited file pile up; starting over now and then is simpler than an LRU and as good.
        if (results.size() >= MAX_ENTRIES) results.clear();
        results.put(key, result);
        return result;
    }
}

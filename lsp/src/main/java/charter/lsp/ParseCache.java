package charter.lsp;

import charter.compiler.passes.CheckCache;
import charter.compiler.parse.ProgramParser;

/**
 * The server's memory of unchanged text, shared by its compiler (which parses and checks the
 * JavaScript of only what changed since the last keystroke) and its own index of declarations.
 */
final class ParseCache {
    private static final int MAX_ENTRIES = 512;
    private final ProgramParser parser = new ProgramParser();
    private final CheckCache cache = CheckCache.bounded(MAX_ENTRIES);

    CheckCache compilerCache() {
        return cache;
    }

    ProgramParser.Result parse(String path, String text) {
        return cache.parse(path, text, () -> parser.parse(path, text));
    }
}

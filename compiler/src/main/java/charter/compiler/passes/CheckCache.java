package charter.compiler.passes;

import charter.compiler.ast.Decl;
import charter.compiler.diag.Diagnostic;
import charter.compiler.parse.ProgramParser;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one compiler remembers between checks of the same Program whose files barely change (an
 * editor's keystrokes, `charter lsp`): the parse of each file by its path and text, and the
 * JavaScript syntax check of each function by its declaration. Both are pure functions of what
 * they are keyed by, so a remembered result is the result. {@link #NONE} remembers nothing, for
 * every one-shot command.
 */
public sealed interface CheckCache {
    ProgramParser.Result parse(String path, String text, Supplier<ProgramParser.Result> parse);

    Optional<Diagnostic> checkFunction(Decl.FunctionDecl function, Function<Decl.FunctionDecl, Optional<Diagnostic>> check);

    CheckCache NONE = new None();

    /** A cache that holds at most `maxEntries` of each kind, and starts over when it is full. */
    static CheckCache bounded(int maxEntries) {
        return new Bounded(maxEntries);
    }

    record None() implements CheckCache {
        @Override
        public ProgramParser.Result parse(String path, String text, Supplier<ProgramParser.Result> parse) {
            return parse.get();
        }

        @Override
        public Optional<Diagnostic> checkFunction(Decl.FunctionDecl function, Function<Decl.FunctionDecl, Optional<Diagnostic>> check) {
            return check.apply(function);
        }
    }

    final class Bounded implements CheckCache {
        private record Text(String path, String text) {}

        private final int maxEntries;
        private final Map<Text, ProgramParser.Result> parses = new ConcurrentHashMap<>();
        // Keyed by the whole declaration, spans included: a diagnostic's place moves with the function.
        private final Map<Decl.FunctionDecl, Optional<Diagnostic>> functions = new ConcurrentHashMap<>();

        private Bounded(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        @Override
        public ProgramParser.Result parse(String path, String text, Supplier<ProgramParser.Result> parse) {
            Text key = new Text(path, text);
            ProgramParser.Result cached = parses.get(key);
            if (cached != null) return cached;
            ProgramParser.Result result = parse.get();
            // Old versions of an edited file pile up; starting over now and then is as good as an LRU here.
            if (parses.size() >= maxEntries) parses.clear();
            parses.put(key, result);
            return result;
        }

        @Override
        public Optional<Diagnostic> checkFunction(Decl.FunctionDecl function, Function<Decl.FunctionDecl, Optional<Diagnostic>> check) {
            Optional<Diagnostic> cached = functions.get(function);
            if (cached != null) return cached;
            Optional<Diagnostic> result = check.apply(function);
            if (functions.size() >= maxEntries) functions.clear();
            functions.put(function, result);
            return result;
        }
    }
}

package charter.compiler.ast;

import java.util.List;

/** One parsed `.charter` file: its declarations in order and its comments (kept for the formatter). */
public record SourceFile(String path, List<Decl> decls, List<Comment> comments) {
    public SourceFile {
        decls = List.copyOf(decls);
        comments = List.copyOf(comments);
    }

    /** A line or block comment, verbatim. */
    public record Comment(String text, Span span) {}
}

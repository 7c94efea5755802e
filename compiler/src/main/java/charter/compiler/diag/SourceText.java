package charter.compiler.diag;

import java.util.ArrayList;
import java.util.List;

/** The text of one Program file with its line starts, to quote a line under a diagnostic. */
public record SourceText(String path, String text, List<Integer> lineStarts) {

    public static SourceText of(String path, String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') starts.add(i + 1);
        }
        return new SourceText(path, text, List.copyOf(starts));
    }

    /** The 1-based line without its line terminator, or "" past the end. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.size()) return "";
        int start = lineStarts.get(line - 1);
        int end = line < lineStarts.size() ? lineStarts.get(line) - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        return text.substring(start, Math.max(start, end));
    }
}

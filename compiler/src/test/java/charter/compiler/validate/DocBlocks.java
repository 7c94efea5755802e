package charter.compiler.validate;

import java.util.ArrayList;
import java.util.List;

/** The fenced blocks of a Markdown page: info string, body, and the line the body starts on. */
record DocBlocks(String info, String body, int line) {
    static List<DocBlocks> parse(String markdown) {
        List<DocBlocks> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("```")) continue;
            String info = lines[i].substring(3).strip();
            int start = i + 2;
            StringBuilder body = new StringBuilder();
            for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.append(lines[i]).append('\n');
            out.add(new DocBlocks(info, body.toString(), start));
        }
        return out;
    }
}

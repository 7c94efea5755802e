package charter.tests.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of a Markdown document, in order, with their info string
 * (`sh {exit=1}`, `text {output}`, `charter`) and the line their content starts on, so a
 * test can run or check exactly what a reader sees.
 */
record MarkdownBlocks(List<Block> blocks) {
    record Block(String info, String body, int line) {
        String language() {
            int space = info.indexOf(' ');
            return space < 0 ? info : info.substring(0, space);
        }

        boolean has(String attribute) {
            return info.contains("{" + attribute) || info.contains(" " + attribute + "}") || info.contains(" " + attribute + " ");
        }

        /** `{exit=N}` in the info string, else 0. */
        int expectedExit() {
            var m = java.util.regex.Pattern.compile("exit=(\\d+)").matcher(info);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
    }

    static MarkdownBlocks parse(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("```")) continue;
            String info = lines[i].substring(3).trim();
            StringBuilder body = new StringBuilder();
            int start = i + 2;
            for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.append(lines[i]).append('\n');
            blocks.add(new Block(info, body.toString(), start));
        }
        return new MarkdownBlocks(List.copyOf(blocks));
    }
}

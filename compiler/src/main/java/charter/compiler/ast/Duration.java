package charter.compiler.ast;

/** A duration literal as written (`15m`) and its length in milliseconds. */
public record Duration(String text, long millis, Span span) {

    /** Parses the lexer's DURATION token text; the lexer guarantees the shape. */
    public static Duration parse(String text, Span span) {
        int unitStart = 0;
        while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) unitStart++;
        long amount = Long.parseLong(text.substring(0, unitStart));
        long unit = switch (text.substring(unitStart)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            case "w" -> 604_800_000L;
            default -> throw new IllegalArgumentException("not a duration unit: " + text);
        };
        return new Duration(text, Math.multiplyExact(amount, unit), span);
    }

    @Override
    public String toString() {
        return text;
    }
}

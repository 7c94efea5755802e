package charter.server;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Mutates the webhook corpus and says, for each mutant, whether it must be refused. The mutants are
 * signed as they are (see {@link SignedDeliveries}), so they reach the parser and the normalisers,
 * not just the signature check. The oracle is independent of Charter's code where it can be (a
 * strict UTF-8 decoder, a depth count, a walk for numbers no double holds, the documented time
 * rule) and deliberately says nothing about mutants Charter may take or refuse as it likes.
 */
final class WebhookFuzzer {
    /** One corpus payload: its source, the GitHub event or Sentry resource, its bytes. */
    record Seed(String source, String kind, String file, byte[] body) {}

    /**
     * @param mustRefuse      the oracle: no 2xx is acceptable
     * @param extraHeaders    headers that override the signed ones (an unsigned timestamp)
     */
    record Mutant(Seed seed, String mutation, byte[] body, Map<String, String> extraHeaders, boolean mustRefuse) {}

    static final int MAX_DEPTH = 200;   // Payloads.DEFAULT_MAX_DEPTH
    private static final Pattern NUMBER = Pattern.compile("(?<=[:\\[,]\\s{0,8})-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?(?=\\s*[,}\\]])");
    private static final Pattern SCALAR = Pattern.compile("(?<=:\\s{0,8})(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d[\\d.eE+-]*|true|false|null)");
    private static final ObjectMapper REFERENCE = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000).build()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static final List<String> SOURCES = List.of("github", "vercel", "linear", "sentry");
    private final Map<String, List<Seed>> bySource;
    private final long maxBodyBytes;

    WebhookFuzzer(List<Seed> seeds, long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        Map<String, List<Seed>> grouped = new TreeMap<>();
        for (Seed s : seeds) grouped.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s);
        if (!grouped.keySet().containsAll(SOURCES)) throw new IllegalArgumentException("the corpus needs payloads of " + SOURCES);
        this.bySource = grouped;
    }

    /** Every payload of the four sources in the corpus folder, as each source would send it. */
    static List<Seed> corpus(Path root) {
        List<Seed> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.equals("github-signature-vectors.json") || name.contains("payload-only")) continue;
                String source = root.relativize(f).getName(0).toString();
                String kind = switch (source) {
                    case "github" -> f.getParent().getFileName().toString();
                    case "sentry" -> name.substring(0, name.indexOf('.'));
                    default -> "";
                };
                out.add(new Seed(source, kind, root.relativize(f).toString(), Files.readAllBytes(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A mutant of a random seed; Linear bodies first get a fresh signed timestamp (its 60 s replay window). */
    Mutant next(Random r) {
        int pick = r.nextInt(13);
        // a source first, then one of its payloads: GitHub has most of the corpus, not most of the risk
        String source = pick == 9 ? "sentry" : pick == 10 ? "vercel" : SOURCES.get(r.nextInt(SOURCES.size()));
        List<Seed> ofSource = bySource.get(source);
        Seed seed = ofSource.get(r.nextInt(ofSource.size()));
        byte[] body = seed.source().equals("linear") ? freshLinear(seed.body()) : seed.body();
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (pick) {
            case 0 -> judged(seed, "truncation", Arrays.copyOf(body, r.nextInt(Math.max(1, body.length))), Map.of());
            case 1 -> judged(seed, "bit flips", flipBits(body, r), Map.of());
            case 2 -> {
                int depth = MAX_DEPTH - 20 + r.nextInt(300);
                yield judged(seed, "deep nesting", nest(text, depth, r).getBytes(StandardCharsets.UTF_8), Map.of());
            }
            case 3 -> judged(seed, "non-finite number", replaceOne(text, NUMBER, pickOf(r, "1e999", "-1e999", "1e400", "9".repeat(400)), r), Map.of());
            case 4 -> judged(seed, "huge number", replaceOne(text, NUMBER, pickOf(r, "9223372036854775808", "-9223372036854775809",
                    "1e308", "100000000000000000", "-1", "0", "4.9e-324", "123456789012345678901234567890"), r), Map.of());
            case 5 -> judged(seed, "duplicate keys", duplicateKey(text, r).getBytes(StandardCharsets.UTF_8), Map.of());
            case 6 -> judged(seed, "invalid UTF-8", invalidUtf8(body, r), Map.of());
            case 7 -> judged(seed, "wrong type", replaceOne(text, SCALAR, pickOf(r, "[]", "{}", "true", "\"x\"", "null", "[1,2]", "{\"a\":{}}", "-0.5"), r), Map.of());
            case 8 -> judged(seed, "giant string", replaceOne(text, SCALAR, "\"" + "a".repeat(50_000 + r.nextInt(2_000_000)) + "\"", r), Map.of());
            case 9 -> timeHeader(seed, body, r);
            case 10 -> timeField(seed, text, r);
            case 11 -> judged(seed, "not an object", pickOf(r, "[]", "null", "1", "\"s\"", "", " ", "{}", "{\"a\":").getBytes(StandardCharsets.UTF_8), Map.of());
            default -> judged(seed, "none", body, Map.of());
        };
    }

    // ---------------------------------------------------------------- the oracle

    private Mutant judged(Seed seed, String mutation, byte[] body, Map<String, String> headers) {
        return new Mutant(seed, mutation, body, headers, mustRefuse(body));
    }

    private Mutant judged(Seed seed, String mutation, String text, Map<String, String> headers) {
        return judged(seed, mutation, text.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * What every source must refuse whatever the payload means: over the size limit, not strict
     * UTF-8, not one JSON object, nested deeper than the limit, or holding a number no double holds
     * (outside the API link members, which no normaliser reads).
     */
    boolean mustRefuse(byte[] body) {
        if (body.length > maxBodyBytes || body.length == 0) return true;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            return true;
        }
        JsonNode root;
        try {
            root = REFERENCE.readTree(body);
        } catch (IOException e) {
            return true;
        }
        return root == null || !root.isObject() || depth(root) > MAX_DEPTH || hasNonFinite(root);
    }

    static int depth(JsonNode n) {
        int deepest = 0;
        // iterative: a hostile depth must not overflow the oracle's own stack
        List<Map.Entry<JsonNode, Integer>> stack = new ArrayList<>(List.of(Map.entry(n, 1)));
        while (!stack.isEmpty()) {
            var e = stack.removeLast();
            if (!e.getKey().isContainerNode()) continue;
            deepest = Math.max(deepest, e.getValue());
            for (JsonNode c : e.getKey()) stack.add(Map.entry(c, e.getValue() + 1));
        }
        return deepest;
    }

    static boolean hasNonFinite(JsonNode n) {
        List<JsonNode> stack = new ArrayList<>(List.of(n));
        while (!stack.isEmpty()) {
            JsonNode x = stack.removeLast();
            if (x.isNumber() && !Double.isFinite(x.doubleValue())) return true;
            if (x.isArray()) x.forEach(stack::add);
            if (x.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = x.fields(); it.hasNext(); ) {
                    var f = it.next();
                    if (!linkMember(f.getKey())) stack.add(f.getValue());
                }
            }
        }
        return false;
    }

    /** GitHub's API link members, whose values no normaliser reads (TreeReader leaves them out). */
    private static boolean linkMember(String name) {
        return name.endsWith("_url") && !List.of("html_url", "environment_url", "inspector_url", "issue_url", "target_url", "web_url").contains(name);
    }

    // ---------------------------------------------------------------- mutations

    private static byte[] flipBits(byte[] body, Random r) {
        byte[] b = body.clone();
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips && b.length > 0; i++) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        return b;
    }

    /** Wraps one member's value of the top object (or the whole body) in {@code depth} arrays or objects. */
    private static String nest(String text, int depth, Random r) {
        boolean arrays = r.nextBoolean();
        String open = arrays ? "[" : "{\"k\":";
        String close = arrays ? "]" : "}";
        int brace = text.indexOf('{');
        String inner = "{\"nested\":" + open.repeat(depth) + "1" + close.repeat(depth) + ",";
        return brace < 0 ? inner + "\"x\":1}" : text.substring(0, brace) + inner + text.substring(brace + 1);
    }

    private static String replaceOne(String text, Pattern p, String with, Random r) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find() && spans.size() < 5_000) spans.add(new int[]{m.start(), m.end()});
        if (spans.isEmpty()) return text;
        int[] s = spans.get(r.nextInt(spans.size()));
        return text.substring(0, s[0]) + with + text.substring(s[1]);
    }

    /** Repeats a top-level member with another value: the first or the second may win, never a crash. */
    private static String duplicateKey(String text, Random r) {
        Matcher m = Pattern.compile("\"([A-Za-z_]+)\"\\s*:").matcher(text);
        List<String> names = new ArrayList<>();
        while (m.find() && names.size() < 200) names.add(m.group(1));
        int brace = text.indexOf('{');
        if (names.isEmpty() || brace < 0) return text;
        String name = names.get(r.nextInt(names.size()));
        String value = pickOf(r, "\"dup\"", "42", "null", "{}", "[]", "true");
        return text.substring(0, brace + 1) + "\"" + name + "\":" + value + "," + text.substring(brace + 1);
    }

    private static byte[] invalidUtf8(byte[] body, Random r) {
        byte[][] bad = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}};
        byte[] ins = bad[r.nextInt(bad.length)];
        // inside a string value: after an opening quote of a value
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(": \"", r.nextInt(Math.max(1, text.length())));
        if (at < 0) at = text.indexOf(":\"");
        int pos = at < 0 ? body.length / 2 : at + 3;
        pos = Math.min(pos, body.length);
        byte[] out = new byte[body.length + ins.length];
        System.arraycopy(body, 0, out, 0, pos);
        System.arraycopy(ins, 0, out, pos, ins.length);
        System.arraycopy(body, pos, out, pos + ins.length, body.length - pos);
        return out;
    }

    /** An extreme value in an unsigned time header (Sentry's): out of range or far ahead must be refused. */
    private Mutant timeHeader(Seed seed, byte[] body, Random r) {
        if (!seed.source().equals("sentry")) return judged(seed, "none", body, Map.of());
        long now = Instant.now().getEpochSecond();
        long seconds = switch (r.nextInt(6)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> Long.MIN_VALUE;
            case 2 -> 253402300799L;
            case 3 -> -1 - r.nextInt(1_000_000);
            case 4 -> now + r.nextLong(-86_400 * 365L, 86_400 * 365L);
            default -> now - r.nextInt(600);
        };
        Instant t = seconds >= -31557014167219200L && seconds <= 31556889864403199L ? Instant.ofEpochSecond(seconds) : null;
        // a minute either side of the 15-minute rule is left to Charter: the two clocks are read at different moments
        boolean outOfRule = t == null || t.isBefore(Instant.EPOCH) || t.isAfter(Instant.now().plus(Duration.ofMinutes(16)));
        Map<String, String> h = Map.of("Sentry-Hook-Timestamp", Long.toString(seconds));
        return new Mutant(seed, "time header", body, h, outOfRule || mustRefuse(body));
    }

    /** An extreme epoch-ms createdAt in a Vercel envelope: out of range or far ahead must be refused. */
    private Mutant timeField(Seed seed, String text, Random r) {
        if (!seed.source().equals("vercel")) return judged(seed, "none", text, Map.of());
        long now = System.currentTimeMillis();
        String value = switch (r.nextInt(7)) {
            case 0 -> "9223372036854775807";
            case 1 -> "-9223372036854775809";
            case 2 -> "100000000000000000";
            case 3 -> "\"+999999999-12-31T23:59:59Z\"";
            case 4 -> Long.toString(-1 - r.nextInt(1_000_000));
            case 5 -> Long.toString(now + r.nextLong(-86_400_000L * 365, 86_400_000L * 365));
            default -> Long.toString(now - r.nextInt(600_000));
        };
        String mutated = text.replaceFirst("\"createdAt\":\\s*[0-9]+", "\"createdAt\": " + java.util.regex.Matcher.quoteReplacement(value));
        boolean refuse;
        try {
            long ms = Long.parseLong(value);
            refuse = ms < 0 || ms > now + Duration.ofMinutes(16).toMillis();
        } catch (NumberFormatException e) {
            refuse = true;   // beyond a long, or the year 999999999
        }
        byte[] body = mutated.getBytes(StandardCharsets.UTF_8);
        return new Mutant(seed, "time field", body, Map.of(), refuse || mustRefuse(body));
    }

    @SafeVarargs
    private static <T> T pickOf(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    static byte[] freshLinear(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8)
                .replaceAll("\"webhookTimestamp\"\\s*:\\s*(\"[^\"]*\"|\\d+)", "\"webhookTimestamp\": " + System.currentTimeMillis());
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Counts of one run, by outcome and, for the refusals, by mutation. */
    static final class Counts {
        long deliveries, accepted, duplicates, refused, internalErrors, wronglyAccepted, lost;
        final Map<String, Long> byMutation = new TreeMap<>();
        final List<String> failures = new ArrayList<>();

        synchronized void add(Mutant m, int status, String body) {
            deliveries++;
            byMutation.merge(m.mutation(), 1L, Long::sum);
            if (status >= 500 || status < 0) {
                internalErrors++;
                note("internal error " + status + " on " + m.mutation() + " of " + m.seed().file() + ": " + abbreviate(body));
            } else if (status == 202 || status == 200) {
                if (status == 202) accepted++;
                else duplicates++;
                if (m.mustRefuse()) {
                    wronglyAccepted++;
                    note("wrongly accepted (" + status + ") " + m.mutation() + " of " + m.seed().file() + ": " + abbreviate(body));
                }
            } else {
                refused++;
            }
        }

        synchronized void note(String failure) {
            if (failures.size() < 20) failures.add(failure);
        }

        @Override
        public synchronized String toString() {
            return "deliveries=" + deliveries + " accepted=" + accepted + " duplicates=" + duplicates + " refused=" + refused
                    + " internal_errors=" + internalErrors + " wrongly_accepted=" + wronglyAccepted + " lost=" + lost
                    + "\nby mutation: " + byMutation + (failures.isEmpty() ? "" : "\nfirst failures:\n  " + String.join("\n  ", failures));
        }

        private static String abbreviate(String s) {
            return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
        }
    }

    /** The whole mutant with its extra headers over the signed ones. */
    static Map<String, String> headers(Mutant m) {
        Map<String, String> h = new LinkedHashMap<>(SignedDeliveries.headers(m.seed().source(), m.seed().kind(), m.body()));
        h.putAll(m.extraHeaders());
        return h;
    }
}

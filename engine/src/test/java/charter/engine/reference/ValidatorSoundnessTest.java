package charter.engine.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Code;
import charter.compiler.load.ProgramFiles;
import charter.compiler.model.TypedProgram;
import charter.engine.event.CanonicalEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The validator is sound: whenever it says a rule's conditions can never hold (CH601), the
 * reference interpreter's evaluator, written independently from the language reference, finds
 * them false on every one of many random pairs of events, whose fields take the constants the
 * conditions mention, neighbours of them, values of the wrong type, empty ones, or none.
 * Conditions are generated from a seeded {@link Random}; a failing one is shrunk to the fewest
 * conjuncts that still fail before it is reported.
 */
class ValidatorSoundnessTest {
    private static final int CASES = 200;
    private static final int EVENTS_PER_CASE = 1_000;
    private static final List<String> STRINGS = List.of("a", "b", "");
    private static final List<Double> NUMBERS = List.of(-1.0, 0.0, 1.0, 2.5, 100.0);
    private static final Map<String, String> FIELD_TYPES = Map.of(
            "title", "string", "state", "string", "additions", "number", "deletions", "number",
            "draft", "bool", "significance", "number", "type", "string");
    private static final List<String> FIELDS = List.copyOf(new java.util.TreeSet<>(FIELD_TYPES.keySet()));

    @Test
    void whatTheValidatorSaysNeverHoldsNeverHoldsOnRandomEvents() {
        Random random = new Random(1606);
        int claimed = 0, compiled = 0, heldSomewhere = 0;
        for (int n = 0; n < CASES; n++) {
            List<String> p = conjuncts(random, "p", null);
            List<String> q = conjuncts(random, "q", "p");
            long seed = random.nextLong();
            Verdict v = judge(p, q, seed);
            if (v == null) continue;
            compiled++;
            if (v.claimedNever() && v.heldOn() != null) {
                Case shrunk = shrink(new Case(p, q), seed);
                fail("the validator says never, but the conditions hold on " + judge(shrunk.p(), shrunk.q(), seed).heldOn()
                        + ":\n" + program(shrunk.p(), shrunk.q()));
            }
            if (v.claimedNever()) claimed++;
            if (v.heldOn() != null) heldSomewhere++;
        }
        System.out.printf("validator soundness: %d Programs, %d said never to hold, %d held on some events%n", compiled, claimed, heldSomewhere);
        assertTrue(compiled > CASES * 9 / 10, "only " + compiled + " of " + CASES + " generated Programs compiled, e.g.\n" + String.join("\n", rejected));
        assertTrue(claimed >= 20, "the generator rarely makes conditions that never hold: " + claimed);
        assertTrue(heldSomewhere >= 20, "the events rarely satisfy any condition: " + heldSomewhere);
    }

    private final ProgramCompiler compiler = new ProgramCompiler(Catalog.standard());

    /** A few of the generated Programs that did not compile, to say why when too many do not. */
    private final List<String> rejected = new ArrayList<>();

    private record Case(List<String> p, List<String> q) {}

    private record Verdict(boolean claimedNever, String heldOn) {}

    /** Drops conjuncts one at a time while the validator still claims never and the events still find a witness. */
    private Case shrink(Case failing, long seed) {
        Case c = failing;
        for (boolean progress = true; progress; ) {
            progress = false;
            for (int side = 0; side < 2; side++) {
                List<String> list = side == 0 ? c.p() : c.q();
                for (int i = list.size() - 1; i >= 0; i--) {
                    List<String> smaller = new ArrayList<>(list);
                    smaller.remove(i);
                    Case candidate = side == 0 ? new Case(smaller, c.q()) : new Case(c.p(), smaller);
                    Verdict v = judge(candidate.p(), candidate.q(), seed);
                    if (v != null && v.claimedNever() && v.heldOn() != null) {
                        c = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return c;
    }

    private static String program(List<String> p, List<String> q) {
        return "program \"sound\"\n\nrule r {\n  when github.pull_request.opened p" + where(p)
                + "\n  and github.pull_request.opened q" + where(q) + " within 1h after p\n"
                + "  then slack.post(channel: \"#a\", text: \"x\")\n}\n";
    }

    private static String where(List<String> conjuncts) {
        return conjuncts.isEmpty() ? "" : " where " + String.join(" and ", conjuncts);
    }

    /** Null when the Program does not compile; else what the validator said and an event pair the conditions hold on, if any. */
    private Verdict judge(List<String> p, List<String> q, long seed) {
        Compilation c = compiler.check(new ProgramFiles("sound", Map.of(
                "charter.yaml", "name: sound\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", program(p, q).getBytes(StandardCharsets.UTF_8))));
        if (!c.ok()) {
            if (rejected.size() < 3) rejected.add(c.diagnostics().getFirst().message() + " in\n" + program(p, q));
            return null;
        }
        boolean never = c.diagnostics().stream().anyMatch(d -> d.code() == Code.NEVER_HOLDS);
        TypedProgram typed = typedOf(c);
        Evaluator evaluator = new Evaluator(typed, new Builtins(typed.program(), ZoneOffset.UTC, null));
        Decl.RuleDecl rule = typed.program().rules().getFirst();
        List<Expr> wheres = rule.when().stream().map(w -> ((Condition.Match) w).pattern().where()).filter(java.util.Objects::nonNull).toList();
        Random random = new Random(seed);
        for (int i = 0; i < EVENTS_PER_CASE; i++) {
            Fact.Event a = event(random, "p1"), b = event(random, "q1");
            Map<String, Fact> env = new HashMap<>(Map.of("p", a, "q", b));
            Evaluator.Scope scope = new Evaluator.Scope(env, null, a.millis());
            if (wheres.stream().allMatch(w -> evaluator.test(w, scope))) {
                return new Verdict(never, "p " + a.event().data() + " significance " + a.significance()
                        + ", q " + b.event().data() + " significance " + b.significance());
            }
        }
        return new Verdict(never, null);
    }

    /** The typed Program the validator read, as the reference simulator reads it. */
    private static TypedProgram typedOf(Compilation c) {
        return c.drl().core().typed();
    }

    private static Fact.Event event(Random random, String id) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (String field : List.of("title", "state", "additions", "deletions", "draft")) {
            Object v = value(random);
            if (v != MISSING) data.put(field, v);
        }
        int significance = random.nextInt(4) == 0 ? random.nextInt(101) : List.of(0, 1, 100).get(random.nextInt(3));
        return new Fact.Event(0, new CanonicalEvent(id, "github", "github.pull_request.opened", Instant.parse("2026-01-01T00:00:00Z"),
                data, List.of(), significance), significance);
    }

    private static final Object MISSING = new Object();

    /** Mostly the constants the conditions use, sometimes a neighbour, a value of another type, or nothing. */
    private static Object value(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> MISSING;
            case 1, 2 -> STRINGS.get(random.nextInt(STRINGS.size()));
            case 3, 4 -> NUMBERS.get(random.nextInt(NUMBERS.size()));
            case 5 -> NUMBERS.get(random.nextInt(NUMBERS.size())) + (random.nextBoolean() ? 0.5 : -0.5);
            case 6 -> random.nextBoolean();
            case 7 -> random.nextBoolean() ? List.of() : List.of("a");
            default -> "z" + random.nextInt(3);
        };
    }

    private static List<String> conjuncts(Random random, String self, String other) {
        List<String> out = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) out.add(atomOrCombination(random, self, other));
        return out;
    }

    private static String atomOrCombination(Random random, String self, String other) {
        return switch (random.nextInt(8)) {
            case 0 -> "not (" + atom(random, self, other) + ")";
            case 1 -> "(" + atom(random, self, other) + " or " + atom(random, self, other) + ")";
            default -> atom(random, self, other);
        };
    }

    private static String atom(Random random, String self, String other) {
        String field = FIELDS.get(random.nextInt(FIELDS.size()));
        String path = self + "." + field;
        String type = FIELD_TYPES.get(field);
        if (other != null && random.nextInt(6) == 0) {
            List<String> same = FIELDS.stream().filter(f -> FIELD_TYPES.get(f).equals(type)).toList();
            return path + (random.nextInt(4) == 0 ? " != " : " == ") + other + "." + same.get(random.nextInt(same.size()));
        }
        if (random.nextInt(8) == 0) return (random.nextBoolean() ? "exists " : "not exists ") + path;
        return switch (type) {
            case "number" -> {
                String op = List.of("==", "!=", "<", "<=", ">", ">=", "in", "not in").get(random.nextInt(8));
                yield op.endsWith("in") ? path + " " + op + " [" + number(random) + ", " + number(random) + "]" : path + " " + op + " " + number(random);
            }
            case "bool" -> path + (random.nextBoolean() ? " == " : " != ") + random.nextBoolean();
            default -> {
                String op = List.of("==", "!=", "in", "not in").get(random.nextInt(4));
                String s = field.equals("type") && random.nextBoolean() ? "github.pull_request.opened" : STRINGS.get(random.nextInt(STRINGS.size()));
                yield op.endsWith("in") ? path + " " + op + " [\"" + s + "\", \"" + STRINGS.get(random.nextInt(STRINGS.size())) + "\"]"
                        : path + " " + op + " \"" + s + "\"";
            }
        };
    }

    private static String number(Random random) {
        double n = NUMBERS.get(random.nextInt(NUMBERS.size()));
        String text = n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
        return text.startsWith("-") ? "-" + text.substring(1) : text;
    }
}

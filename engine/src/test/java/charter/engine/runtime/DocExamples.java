package charter.engine.runtime;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.DiagnosticRenderer;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.EventFileResult;
import charter.engine.event.EventFileReader;
import charter.engine.intent.IntentFileReader;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;

/**
 * The machine-readable examples of docs/language/semantics.md: each is a fenced
 * {@code charter example=NAME} block (a whole Program), optional {@code jsonl events} and
 * {@code jsonl intents} blocks (the files `charter simulate` reads), and a
 * {@code text expect [until=TIME]} block: the timeline, one line per output, as {@link #render} writes it.
 */
final class DocExamples {
    private static final Pattern FENCE = Pattern.compile("^```(.*)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Example(String name, int line, String program, String events, String intents, String expect, Instant until) {}

    private DocExamples() {}

    /** The examples of {@code docs/language/<document>}, read from a module's working directory. */
    static List<Example> of(String document) throws IOException {
        return parse(Files.readString(Path.of("..", "docs", "language", document)));
    }

    /** One test per example of the document: the compiled engine gives the output the document states. */
    static Stream<DynamicTest> checks(String document) throws IOException {
        return of(document).stream().map(e -> DynamicTest.dynamicTest(e.name() + " (" + document + ":" + e.line() + ")", () ->
                Assertions.assertEquals(String.join("\n", normalise(e.expect())), String.join("\n", normalise(render(run(e)))),
                        "example " + e.name() + " at docs/language/" + document + ":" + e.line())));
    }

    /** Every example of the document, in order; a block that belongs to no example, or an example without `expect`, is an error. */
    static List<Example> parse(String markdown) {
        List<Example> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        String name = null, program = null, events = "", intents = "", expect = null;
        Instant until = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches() || open.group(1).isBlank()) continue;
            String info = open.group(1).strip();
            int first = i + 1;
            StringBuilder body = new StringBuilder();
            for (i = first; i < lines.length && !lines[i].startsWith("```"); i++) body.append(lines[i]).append('\n');
            if (i == lines.length) throw new IllegalArgumentException("line " + first + ": fenced block never closed");
            if (info.startsWith("charter")) {
                if (name != null) out.add(finish(name, start, program, events, intents, expect, until));
                if (!info.startsWith("charter example=")) {
                    throw new IllegalArgumentException("line " + first + ": a Program block must be an example (```charter example=NAME)");
                }
                name = info.substring("charter example=".length()).strip();
                start = first;
                program = body.toString();
                events = "";
                intents = "";
                expect = null;
                until = null;
            } else if (info.equals("jsonl events") || info.equals("jsonl intents") || info.startsWith("text expect")) {
                if (name == null) throw new IllegalArgumentException("line " + first + ": `" + info + "` block before any example");
                if (info.equals("jsonl events")) events = body.toString();
                else if (info.equals("jsonl intents")) intents = body.toString();
                else {
                    expect = body.toString();
                    String rest = info.substring("text expect".length()).strip();
                    if (rest.startsWith("until=")) until = Instant.parse(rest.substring("until=".length()));
                    else if (!rest.isEmpty()) throw new IllegalArgumentException("line " + first + ": unknown option " + rest);
                }
            }
        }
        if (name != null) out.add(finish(name, start, program, events, intents, expect, until));
        return out;
    }

    private static Example finish(String name, int line, String program, String events, String intents, String expect, Instant until) {
        if (expect == null) throw new IllegalArgumentException("example " + name + " (line " + line + ") has no ```text expect block");
        return new Example(name, line, program, events, intents, expect, until);
    }

    /** Compiles and simulates the example as `charter simulate` would; a Program or input that does not load is an error. */
    static SimulationResult run(Example e) {
        ProgramFiles files = new ProgramFiles(e.name(), Map.of(
                "charter.yaml", ("name: " + e.name() + "\n").getBytes(StandardCharsets.UTF_8),
                "main.charter", e.program().getBytes(StandardCharsets.UTF_8)));
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(files);
        if (!c.ok()) {
            DiagnosticRenderer r = new DiagnosticRenderer(c.sources());
            throw new IllegalArgumentException("example " + e.name() + " does not compile:\n"
                    + c.diagnostics().stream().map(r::render).reduce("", String::concat));
        }
        EventFileResult events = new EventFileReader().read("events", e.events());
        if (!events.errors().isEmpty()) throw new IllegalArgumentException("example " + e.name() + ": " + events.errors());
        IntentFileReader.Result intents = new IntentFileReader(c.program()).read("intents", e.intents());
        if (!intents.errors().isEmpty()) throw new IllegalArgumentException("example " + e.name() + ": " + intents.errors());
        return new Simulator().run(c.program(), events.events(), intents.intents(), e.until());
    }

    /** The timeline, one line per output; the actions an allowed intent plans follow its decision. */
    static String render(SimulationResult r) {
        StringBuilder out = new StringBuilder();
        for (TimelineEntry entry : r.timeline()) {
            switch (entry) {
                case TimelineEntry.PlannedAction a -> out.append(action(a)).append('\n');
                case TimelineEntry.Decision d -> {
                    out.append(d.time()).append(" decision ").append(d.intentId()).append(' ').append(d.verdict().label());
                    if (!d.denials().isEmpty()) {
                        out.append(" denied-by ").append(String.join(", ", d.denials().stream().map(TimelineEntry.Denial::invariant).toList()));
                    }
                    out.append('\n');
                    for (TimelineEntry.PlannedAction a : d.actions()) out.append(action(a)).append('\n');
                }
                case TimelineEntry.Violation v -> out.append(v.time()).append(" violation ").append(v.invariant())
                        .append(triggers(v.provenance())).append('\n');
                case TimelineEntry.RuleError e -> out.append(e.time()).append(" error ").append(e.provenance().id())
                        .append(triggers(e.provenance())).append('\n');
                case TimelineEntry.SkippedAction k -> out.append(k.time()).append(" skipped ").append(k.provenance().id()).append(' ')
                        .append(k.tool()).append(' ').append(json(k.reason())).append(triggers(k.provenance())).append('\n');
            }
        }
        return out.toString();
    }

    private static String action(TimelineEntry.PlannedAction a) {
        StringJoiner args = new StringJoiner(", ");
        a.args().forEach((k, v) -> args.add(k + ": " + json(v)));
        return a.time() + " action " + a.provenance().id() + " " + a.tool() + "(" + args + ")" + triggers(a.provenance());
    }

    private static String triggers(Provenance p) {
        String out = "";
        if (!p.eventIds().isEmpty()) out += (p.eventIds().size() == 1 ? " event " : " events ") + String.join(", ", p.eventIds());
        if (p.intentId() != null) out += " intent " + p.intentId();
        return out;
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lines with runs of blanks made one, blank lines and `#` comments dropped: what the document's `expect` blocks are compared as. */
    static List<String> normalise(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip().replaceAll("\\s+", " ");
            if (!l.isEmpty() && !l.startsWith("#")) out.add(l);
        }
        return out;
    }
}

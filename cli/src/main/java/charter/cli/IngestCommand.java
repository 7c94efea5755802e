package charter.cli;

import charter.cli.report.IngestRunReport;
import charter.cli.report.Rejected;
import charter.compiler.Compilation;
import charter.compiler.catalog.Catalog;
import charter.engine.ingest.IngestReport;
import charter.engine.ingest.Ingestor;
import charter.engine.ingest.PersonIdentity;
import charter.engine.ingest.Normalisers;
import charter.engine.runtime.SignificanceScorer;
import charter.engine.store.EventStore;
import charter.engine.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", description = {
        "Verify, normalise and store webhook deliveries saved as files.",
        "A file is a raw body; its headers come from a sidecar FILE.headers (one `Name: value` a line) and --header.",
        "Folders are walked for *.json. For GitHub without X-GitHub-Event, the file's folder name is the event",
        "(github/<event>/<file>.json); for Sentry without Sentry-Hook-Resource, the file name's first part (issue.created.json).",
        "A delivery already stored is a no-op. Exits 1 if any file was rejected; the others are stored all the same."})
final class IngestCommand implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "github|vercel|linear|sentry",
            description = "Where the deliveries came from.")
    String source;

    @Option(names = "--secret-env", paramLabel = "NAME",
            description = "Verify signatures with the secret in this environment variable (without it, nothing is verified).")
    String secretEnv;

    @Option(names = "--program", paramLabel = "DIR",
            description = "Score significance with this Program's significance block (default: the catalog's default per type), and link people to its person blocks (same_person; people are linked by email either way).")
    Path program;

    @Option(names = "--header", paramLabel = "'Name: value'",
            description = "A header for every delivery (repeatable); wins over the sidecar files.")
    List<String> headers = new ArrayList<>();

    @Parameters(paramLabel = "FILES", arity = "1..*", description = "Body files, or folders of *.json.")
    List<Path> files;

    @Mixin
    StoreOptions store;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        String src = source.strip().toLowerCase(Locale.ROOT);
        if (!Normalisers.SOURCES.contains(src)) {
            throw new UserError("unknown --source '" + source + "' (known: " + String.join(", ", Normalisers.SOURCES) + ")");
        }
        Map<String, String> flags = new LinkedHashMap<>();
        for (String h : headers) {
            Map.Entry<String, String> e = DeliveryFiles.header(h);
            if (e == null) throw new UserError("--header '" + h + "' is not `Name: value`");
            flags.put(e.getKey(), e.getValue());
        }
        byte[] secret = null;
        if (secretEnv != null) {
            String value = System.getenv(secretEnv);
            if (value == null || value.isEmpty()) {
                throw new UserError("--secret-env " + secretEnv + ": the environment variable " + secretEnv + " is not set or empty");
            }
            secret = value.getBytes(StandardCharsets.UTF_8);
        }
        SignificanceScorer scorer = SignificanceScorer.catalogDefaults(Catalog.standard());
        PersonIdentity identity = PersonIdentity.byEmail();
        if (program != null) {
            Compilation c = Programs.compile(program);
            if (!c.ok()) return report.emit(Rejected.diagnostics("ingest", program.toString(), Programs.diagnostics(c)));
            scorer = SignificanceScorer.of(c.program());
            identity = PersonIdentity.of(c.program());
        }
        DeliveryFiles.Read read = new DeliveryFiles(src, flags, Catalog.standard())
                .read(DeliveryFiles.expand(files), Instant.now());
        try (EventStore s = store.open()) {
            Ingestor.Builder b = Ingestor.builder(s).scorer(scorer).identity(identity);
            if (secret != null) b.secret(src, secret);
            IngestReport r = b.build().ingest(store.tenant(), read.deliveries());
            List<IngestReport.Rejection> rejected = new ArrayList<>(read.rejected());
            rejected.addAll(r.rejected());
            IngestReport all = new IngestReport(r.accepted(), r.duplicates(), rejected, r.warnings());
            return report.emit(new IngestRunReport(src, store.tenant(), store.data(), secret != null,
                    program == null ? null : program.toString(), all));
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }
}

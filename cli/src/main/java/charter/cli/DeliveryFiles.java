package charter.cli;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EventTypeSpec;
import charter.engine.ingest.IngestReport;
import charter.engine.ingest.LabeledDelivery;
import charter.engine.ingest.RawDelivery;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Webhook deliveries from files: a file is a raw body; its headers come from a sidecar
 * {@code FILE.headers} (one {@code Name: value} a line), then the {@code --header} flags
 * (which win). Folders are walked for {@code *.json}. A file that cannot become a delivery
 * (unreadable, a malformed sidecar, no GitHub event name to be found) is a rejection, and the
 * other files still go in.
 */
final class DeliveryFiles {

    /** Deliveries to ingest, and the files refused before ingesting. */
    record Read(List<LabeledDelivery> deliveries, List<IngestReport.Rejection> rejected) {}

    static final String BAD_FILE = "bad_file";

    private final String source;
    private final Map<String, String> flags;
    private final Set<String> githubEvents;
    private final Set<String> sentryResources;

    DeliveryFiles(String source, Map<String, String> flags, Catalog catalog) {
        this.source = source;
        this.flags = flags;
        this.githubEvents = names(catalog, "github");
        this.sentryResources = names(catalog, "sentry");
    }

    /** The second segment of a source's catalog type names: GitHub event names, Sentry resources. */
    private static Set<String> names(Catalog catalog, String source) {
        Set<String> out = new TreeSet<>();
        for (EventTypeSpec e : catalog.eventTypesOf(source)) {
            String[] parts = e.name().split("\\.");
            if (parts.length >= 2 && !parts[1].equals("unknown")) out.add(parts[1]);
        }
        return out;
    }

    /** `Name: value` of a --header flag or a sidecar line; null when it is not one. */
    static Map.Entry<String, String> header(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) return null;
        String name = line.substring(0, colon).strip();
        if (name.isEmpty() || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) return null;
        return Map.entry(name, line.substring(colon + 1).strip());
    }

    /** Every file named, folders walked for *.json (sorted), each once, in the order given. */
    static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        Set<Path> seen = new java.util.HashSet<>();
        for (Path p : paths) {
            if (!Files.exists(p)) throw new UserError("no such file or folder: " + p);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                        if (seen.add(f.toAbsolutePath().normalize())) out.add(f);
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new UserError("cannot read the folder " + p + ": " + e.getMessage());
                }
            } else if (seen.add(p.toAbsolutePath().normalize())) {
                out.add(p);
            }
        }
        return out;
    }

    Read read(List<Path> files, Instant receivedAt) {
        List<LabeledDelivery> deliveries = new ArrayList<>();
        List<IngestReport.Rejection> rejected = new ArrayList<>();
        for (Path file : files) {
            String label = file.toString();
            try {
                deliveries.add(new LabeledDelivery(label, delivery(file, receivedAt)));
            } catch (Refused r) {
                rejected.add(new IngestReport.Rejection(label, r.code, r.getMessage()));
            }
        }
        return new Read(deliveries, rejected);
    }

    private static final class Refused extends Exception {
        final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private RawDelivery delivery(Path file, Instant receivedAt) throws Refused {
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Refused(BAD_FILE, "cannot read the file: " + e.getClass().getSimpleName().replace("Exception", "")
                    + " " + e.getMessage());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Path sidecar = file.resolveSibling(file.getFileName() + ".headers");
        if (Files.isRegularFile(sidecar)) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(sidecar))).toString();
            } catch (CharacterCodingException e) {
                throw new Refused(BAD_FILE, "the headers file " + sidecar + " is not UTF-8");
            } catch (IOException e) {
                throw new Refused(BAD_FILE, "cannot read the headers file " + sidecar + ": " + e.getMessage());
            }
            int n = 0;
            for (String line : text.split("\r?\n", -1)) {
                n++;
                if (line.isBlank() || line.startsWith("#")) continue;
                Map.Entry<String, String> h = header(line);
                if (h == null) {
                    throw new Refused(BAD_FILE, sidecar + ":" + n + ": not a header line `Name: value`: "
                            + (line.length() > 60 ? line.substring(0, 60) + "…" : line));
                }
                put(headers, h.getKey(), h.getValue());
            }
        }
        flags.forEach((k, v) -> put(headers, k, v));
        if (source.equals("github") && !has(headers, "X-GitHub-Event")) {
            String folder = file.toAbsolutePath().getParent() == null ? "" : file.toAbsolutePath().getParent().getFileName().toString();
            if (!githubEvents.contains(folder)) {
                throw new Refused("missing_header", "no X-GitHub-Event header (in " + sidecar.getFileName()
                        + " or --header), and the folder name `" + folder + "` is not a GitHub event name "
                        + "(the layout github/<event>/<file>.json names it)");
            }
            put(headers, "X-GitHub-Event", folder);
        }
        if (source.equals("sentry") && !has(headers, "Sentry-Hook-Resource")) {
            String name = file.getFileName().toString();
            String resource = name.contains(".") ? name.substring(0, name.indexOf('.')) : "";
            if (!sentryResources.contains(resource)) {
                throw new Refused("missing_header", "no Sentry-Hook-Resource header (in " + sidecar.getFileName()
                        + " or --header), and the file name does not start with a Sentry resource ("
                        + String.join(", ", sentryResources) + ", as in issue.created.json)");
            }
            put(headers, "Sentry-Hook-Resource", resource);
        }
        return new RawDelivery(source, headers, body, receivedAt);
    }

    /** Case-insensitive put: a later value for the same name replaces the earlier one. */
    private static void put(Map<String, String> headers, String name, String value) {
        headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        headers.put(name, value);
    }

    private static boolean has(Map<String, String> headers, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).equals(lower));
    }
}

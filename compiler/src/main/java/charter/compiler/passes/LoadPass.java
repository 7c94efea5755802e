package charter.compiler.passes;

import charter.compiler.ast.Span;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.SourceText;
import charter.compiler.load.ActionPolicy;
import charter.compiler.load.LoadedProgram;
import charter.compiler.load.Manifest;
import charter.compiler.load.ProgramFiles;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** Pass 0, load: decodes the files (strict UTF-8, size limit), reads `charter.yaml`, and hashes the content into the Program version. */
public final class LoadPass implements Pass<ProgramFiles, LoadedProgram> {
    private static final List<String> KNOWN_SOURCES = List.of("github", "vercel", "linear", "sentry");
    private static final List<String> MANIFEST_KEYS = List.of("name", "main", "timezone", "sources", "connectors", "description");
    private static final List<String> SECRET_WORDS = List.of("token", "secret", "password", "key", "webhook");

    @Override
    public String name() {
        return "load";
    }

    @Override
    public LoadedProgram run(ProgramFiles input, Diagnostics diagnostics) {
        Map<String, SourceText> sources = new TreeMap<>();
        input.oversized().forEach((path, size) -> diagnostics.report(Diagnostic.error(Code.FILE_TOO_LARGE, Span.at(path, 1, 1),
                path + " is " + size + " bytes; a Program file may be at most " + ProgramFiles.MAX_FILE_BYTES + " bytes")));
        // Named, never read: its target's content must not end up in a diagnostic's snippet.
        input.outside().forEach(path -> diagnostics.report(Diagnostic.error(Code.LINK_OUTSIDE, Span.at(path, 1, 1),
                path + " is a symbolic link that leads outside the Program folder; a Program reads only its own files"
                        + " (copy the file into the folder instead)")));
        for (var e : input.files().entrySet()) {
            String text = decode(e.getKey(), e.getValue(), diagnostics);
            if (text != null) sources.put(e.getKey(), SourceText.of(e.getKey(), text));
        }
        Manifest manifest = null;
        SourceText manifestText = sources.get(ProgramFiles.MANIFEST);
        if (manifestText == null && !input.files().containsKey(ProgramFiles.MANIFEST) && !input.outside().contains(ProgramFiles.MANIFEST)) {
            diagnostics.report(Diagnostic.error(Code.MANIFEST_MISSING, null,
                    "no charter.yaml in " + input.root() + "; a Program folder needs one (at least `name: <program>`)"));
        } else if (manifestText != null) {
            manifest = manifest(manifestText, diagnostics);
        }
        if (input.files().keySet().stream().noneMatch(p -> p.endsWith(".charter"))
                && input.oversized().keySet().stream().noneMatch(p -> p.endsWith(".charter"))
                && input.outside().stream().noneMatch(p -> p.endsWith(".charter"))) {
            diagnostics.report(Diagnostic.error(Code.NO_SOURCES, null, "no .charter file in " + input.root()));
        }
        if (manifest == null) return null;
        return new LoadedProgram(input.root(), manifest, sources, version(input));
    }

    private static String decode(String path, byte[] bytes, Diagnostics diagnostics) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            String text = decoder.decode(in).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            int offset = firstInvalidOffset(bytes);
            int line = 1, column = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') { line++; column = 1; } else if ((bytes[i] & 0xC0) != 0x80) column++;
            }
            diagnostics.report(Diagnostic.error(Code.FILE_NOT_UTF8, Span.at(path, line, column), String.format(
                    "%s is not valid UTF-8: byte 0x%02x at offset %d; save the file as UTF-8", path, bytes[offset] & 0xff, offset)));
            return null;
        }
    }

    private static int firstInvalidOffset(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : 0;
    }

    private static Manifest manifest(SourceText text, Diagnostics diagnostics) {
        String file = ProgramFiles.MANIFEST;
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).load(text.text());
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            Span span = mark == null ? Span.at(file, 1, 1) : Span.at(file, mark.getLine() + 1, mark.getColumn() + 1);
            diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, span, "charter.yaml is not valid YAML: " + e.getProblem()));
            return null;
        } catch (YAMLException e) {
            diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, Span.at(file, 1, 1), "charter.yaml is not valid YAML: " + e.getMessage()));
            return null;
        }
        if (!(root instanceof Map<?, ?> map)) {
            diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, Span.at(file, 1, 1),
                    "charter.yaml must be a mapping with at least `name: <program>`"));
            return null;
        }
        int before = diagnostics.all().size();
        for (Object key : map.keySet()) {
            if (!MANIFEST_KEYS.contains(String.valueOf(key))) {
                Diagnostic d = Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, key + ":"), "unknown key `" + key + "` in charter.yaml");
                String s = charter.compiler.diag.Suggestions.closest(String.valueOf(key), MANIFEST_KEYS).orElse(null);
                diagnostics.report(s == null ? d : d.withSuggestion(s));
            }
        }
        String name = stringValue(map, "name", text, diagnostics);
        if (name == null && map.get("name") == null) {
            diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, Span.at(file, 1, 1), "charter.yaml has no `name`"));
        }
        String main = map.containsKey("main") ? stringValue(map, "main", text, diagnostics) : "main.charter";
        ZoneId zone = ZoneId.of("UTC");
        if (map.containsKey("timezone")) {
            String tz = stringValue(map, "timezone", text, diagnostics);
            try {
                if (tz != null) zone = ZoneId.of(tz);
            } catch (DateTimeException e) {
                diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, "timezone:"), "unknown time zone `" + tz + "`"));
            }
        }
        List<String> sources = new ArrayList<>();
        Object rawSources = map.get("sources");
        if (rawSources instanceof List<?> list) {
            for (Object s : list) {
                String source = String.valueOf(s);
                if (!KNOWN_SOURCES.contains(source)) {
                    Diagnostic d = Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, source), "unknown source `" + source + "`; Charter knows " + KNOWN_SOURCES);
                    diagnostics.report(charter.compiler.diag.Suggestions.closest(source, KNOWN_SOURCES).map(d::withSuggestion).orElse(d));
                } else sources.add(source);
            }
        } else if (rawSources != null) {
            diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, "sources:"), "`sources` must be a list, e.g. [github, vercel]"));
        } else {
            sources.addAll(KNOWN_SOURCES);
        }
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        Map<String, ActionPolicy.Rule> actionRules = new LinkedHashMap<>();
        Object rawConnectors = map.get("connectors");
        if (rawConnectors instanceof Map<?, ?> cm) {
            for (var e : cm.entrySet()) {
                String tool = String.valueOf(e.getKey());
                if (!knownConnector(tool, text, diagnostics)) continue;
                if (e.getValue() instanceof String mode) {   // `pagerduty.page: live`
                    if (tool.startsWith(ActionPolicy.INTENT_PREFIX)) {
                        diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, tool + ":"), "`" + tool
                                + "` can only require approval (`mode: approval` with approvers); an intent's actions otherwise follow their tools"));
                        continue;
                    }
                    ActionPolicy.Mode m = mode(tool, mode, text, diagnostics);
                    if (m != null) actionRules.put(tool, new ActionPolicy.Rule(m, List.of()));
                    continue;
                }
                if (!(e.getValue() instanceof Map<?, ?> settings)) {
                    diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, tool + ":"),
                            "connector `" + tool + "` must be a mode (" + MODES + ") or a mapping of settings"));
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                ActionPolicy.Mode mode = null;
                List<String> approvers = new ArrayList<>();
                for (var s : settings.entrySet()) {
                    String key = String.valueOf(s.getKey());
                    if (key.equals("mode")) {
                        mode = mode(tool, String.valueOf(s.getValue()), text, diagnostics);
                        continue;
                    }
                    if (key.equals("approvers")) {
                        if (s.getValue() instanceof List<?> list) {
                            for (Object a : list) approvers.add(String.valueOf(a));
                        } else {
                            diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, "approvers:"),
                                    "`" + tool + ".approvers` must be a list of people and teams, e.g. [alice, team:platform]"));
                        }
                        continue;
                    }
                    String value = String.valueOf(s.getValue());
                    boolean secret = SECRET_WORDS.stream().anyMatch(w -> key.toLowerCase(java.util.Locale.ROOT).contains(w));
                    if (secret && !value.startsWith("env:")) {
                        diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, key + ":"),
                                "connector setting `" + tool + "." + key + "` looks like a secret; give a reference such as `env:"
                                        + (tool + "_" + key).toUpperCase(java.util.Locale.ROOT).replace('.', '_') + "`, never the value"));
                    }
                    values.put(key, value);
                }
                if (!approvers.isEmpty() && mode != ActionPolicy.Mode.APPROVAL) {
                    diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, "approvers:"),
                            "connector `" + tool + "` names approvers but its mode is not `approval`; add `mode: approval`"));
                } else if (mode == ActionPolicy.Mode.APPROVAL && approvers.isEmpty()) {
                    diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, tool + ":"),
                            "connector `" + tool + "` waits for approval but names no approvers; add `approvers: [<person>, team:<team>]`"));
                }
                if (tool.startsWith(ActionPolicy.INTENT_PREFIX) && mode != null && mode != ActionPolicy.Mode.APPROVAL) {
                    diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, tool + ":"),
                            "`" + tool + "` can only require approval (`mode: approval` with approvers); an intent's actions otherwise follow their tools"));
                    continue;
                }
                if (mode != null) actionRules.put(tool, new ActionPolicy.Rule(mode, approvers));
                if (!values.isEmpty()) connectors.put(tool, Map.copyOf(values));
            }
        } else if (rawConnectors != null) {
            diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, "connectors:"), "`connectors` must be a mapping"));
        }
        if (diagnostics.all().size() > before && diagnostics.hasErrors() || name == null || main == null) return null;
        return new Manifest(name, main, zone, sources, connectors, new ActionPolicy(actionRules));
    }

    private static final String MODES = "live, record or approval";

    /** A key of the `connectors:` block names a tool of the catalog or its vendor (every tool of it). */
    private static boolean knownConnector(String key, SourceText text, Diagnostics diagnostics) {
        java.util.Set<String> known = new java.util.TreeSet<>();
        for (var t : charter.compiler.catalog.Catalog.standard().tools()) {
            known.add(t.name());
            known.add(t.name().substring(0, Math.max(0, t.name().indexOf('.'))));
        }
        known.remove("");
        if (known.contains(key)) return true;
        if (key.startsWith(ActionPolicy.INTENT_PREFIX) && key.length() > ActionPolicy.INTENT_PREFIX.length()) return true;   // checked once intents are known
        Diagnostic d = Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, key + ":"), "unknown tool `" + key
                + "` in `connectors`; name a tool of the catalog (such as pagerduty.page) or its vendor (such as slack)");
        diagnostics.report(charter.compiler.diag.Suggestions.closest(key, known).map(d::withSuggestion).orElse(d));
        return false;
    }

    private static ActionPolicy.Mode mode(String tool, String value, SourceText text, Diagnostics diagnostics) {
        ActionPolicy.Mode m = ActionPolicy.Mode.parse(value).orElse(null);
        if (m == null) {
            Diagnostic d = Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, value),
                    "unknown mode `" + value + "` for connector `" + tool + "`; a connector is " + MODES);
            diagnostics.report(charter.compiler.diag.Suggestions.closest(value, List.of("live", "record", "approval")).map(d::withSuggestion).orElse(d));
        }
        return m;
    }

    private static String stringValue(Map<?, ?> map, String key, SourceText text, Diagnostics diagnostics) {
        Object v = map.get(key);
        if (v instanceof String s && !s.isBlank()) return s;
        if (v != null) {
            diagnostics.report(Diagnostic.error(Code.MANIFEST_INVALID, lineOf(text, key + ":"), "`" + key + "` must be a non-empty string"));
        }
        return null;
    }

    /** YAML maps lose positions; the first line containing the needle is close enough to point at. */
    private static Span lineOf(SourceText text, String needle) {
        for (int line = 1; line <= text.lineStarts().size(); line++) {
            int col = text.line(line).indexOf(needle);
            if (col >= 0) return new Span(text.path(), line, col + 1, line, col + 1 + needle.length());
        }
        return Span.at(text.path(), 1, 1);
    }

    /** sha256 over every path and content, in path order: the same files give the same version on any machine. */
    private static String version(ProgramFiles input) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (var e : input.files().entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue());
                sha.update((byte) 0);
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

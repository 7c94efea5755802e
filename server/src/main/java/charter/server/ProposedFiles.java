package charter.server;

import charter.compiler.load.ProgramFiles;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Program change proposed as text, the {@code files} of a dry run: path to content, each replacing
 * or adding a file on top of a base Program's files (the live commit's, unless a revision is named),
 * or, as {@code null}, removing one. Only what a Program folder holds may be proposed
 * ({@code charter.yaml} and {@code .charter} files, by relative path), and little of it: a dry run
 * compiles the proposal on the server, so its size is bounded before anything is parsed.
 *
 * @param changes path to content; a null content removes the file
 */
record ProposedFiles(Map<String, String> changes) {
    static final int MAX_FILES = 20;
    static final int MAX_BYTES = 256 * 1024;

    ProposedFiles {
        changes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    }

    /** The {@code files} field of a body, or null when it has none; a 400 or 413 saying what and where when it is not a proposal. */
    static ProposedFiles parse(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (!node.isObject()) {
            throw new CharterServer.ApiError(400, "wrong_type", "`files` must be an object of path to file content, such as "
                    + "{\"rules/new.charter\": \"rule …\"}");
        }
        if (node.isEmpty()) throw new CharterServer.ApiError(400, "bad_proposal", "`files` is empty: propose at least one file, or leave `files` out");
        if (node.size() > MAX_FILES) {
            throw new CharterServer.ApiError(413, "proposal_too_large", "`files` proposes " + node.size() + " files; at most " + MAX_FILES + " a dry run");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        long bytes = 0;
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            String path = f.getKey();
            String problem = pathProblem(path);
            if (problem != null) throw new CharterServer.ApiError(400, "bad_proposal", "`files` → `" + path + "`: " + problem);
            JsonNode content = f.getValue();
            if (content.isNull()) {
                changes.put(path, null);
                continue;
            }
            if (!content.isTextual()) {
                throw new CharterServer.ApiError(400, "wrong_type", "`files` → `" + path + "`: the content must be a string (or null to remove the file)");
            }
            bytes += content.asText().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_BYTES) {
                throw new CharterServer.ApiError(413, "proposal_too_large", "`files` holds more than " + MAX_BYTES
                        + " bytes (UTF-8) at `" + path + "`; propose less at a time");
            }
            changes.put(path, content.asText());
        }
        return new ProposedFiles(changes);
    }

    /** Why a path cannot be a file of a Program folder, or null when it can. */
    static String pathProblem(String path) {
        if (path.isEmpty()) return "a path must not be empty";
        if (path.startsWith("/") || path.contains("\\") || path.contains(":")) return "a path is relative to the Program folder and '/'-separated, such as rules/new.charter";
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) return "a path may not have empty, `.` or `..` parts";
            if (part.startsWith(".")) return "hidden files and folders are not part of a Program";
        }
        if (path.chars().anyMatch(c -> c < 0x20)) return "a path may not hold control characters";
        if (!path.equals(ProgramFiles.MANIFEST) && !path.endsWith(".charter")) return "only charter.yaml and .charter files make a Program";
        return null;
    }

    /** The base's files with the proposal applied. */
    ProgramFiles over(ProgramFiles base) {
        Map<String, byte[]> files = new TreeMap<>(base.files());
        changes.forEach((path, content) -> {
            if (content == null) files.remove(path);
            else files.put(path, content.getBytes(StandardCharsets.UTF_8));
        });
        return new ProgramFiles(base.root(), files, base.oversized(), base.outside());
    }

    /** How a replay names it: the base and what the proposal changes. */
    String label(String base) {
        return base + " + " + changes.size() + (changes.size() == 1 ? " proposed file" : " proposed files");
    }
}

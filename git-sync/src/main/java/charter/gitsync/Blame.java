package charter.gitsync;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Name;
import charter.compiler.ast.SourceFile;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.Suggestions;
import charter.compiler.fmt.ProgramFormatter;
import charter.compiler.parse.ProgramParser;
import charter.gitsync.GitProgramException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * `charter blame`: which commit introduced a rule (or invariant, or intent) and which
 * last changed it, following renames.
 *
 * <p>The Program is parsed at every commit of its history, newest first. A declaration
 * is compared by its canonical text, re-printed by the formatter from the AST without
 * comments, so spans, layout and comments never count as a change. Walking back, when
 * the older commit has no declaration with the id, one with the same body under another
 * id (name and title blanked out) that the newer commit no longer has is the same rule
 * renamed. A commit whose Program does not parse is skipped: it cannot say anything
 * about the rule.
 */
public final class Blame {
    /** What blame found. {@code renames} are newest first. */
    public record Result(String rule, String kind, String folder, String file, int line, String revision,
                         ProgramCommit introduced, ProgramCommit lastChanged, List<Rename> renames, int commitsExamined) {
        public Result {
            renames = List.copyOf(renames);
        }
    }

    /** At {@code commit}, {@code from} was renamed to {@code to}. */
    public record Rename(String from, String to, ProgramCommit commit) {}

    /** One named declaration at one commit. */
    private record Entry(String kind, String file, int line, String full, String body) {}

    private final ProgramRepository repository;

    public Blame(ProgramRepository repository) {
        this.repository = repository;
    }

    public Result blame(String rev, String path, String rule) throws GitProgramException {
        String sha = repository.resolve(rev);
        String folder = repository.programFolder(sha, path);
        List<ProgramCommit> history = repository.history(sha, folder);
        List<ProgramCommit> commits = new ArrayList<>();
        List<Map<String, Entry>> states = new ArrayList<>();
        for (ProgramCommit c : history) {
            Map<String, Entry> state;
            try {
                state = declarations(repository.snapshot(c.sha(), folder));
            } catch (GitProgramException e) {
                if (e.kind() == Kind.CORRUPT) throw e;
                state = null; // the folder is missing or unreadable there: nothing to say at this commit
            }
            if (state == null) {
                if (commits.isEmpty()) continue;
                // The Program disappeared at this commit: the walk back stops (it was introduced after).
                break;
            }
            if (state == UNPARSEABLE) continue;
            if (state.isEmpty() && !commits.isEmpty()) break;
            commits.add(c);
            states.add(state);
        }
        if (commits.isEmpty() || !states.getFirst().containsKey(rule)) {
            TreeSet<String> ids = commits.isEmpty() ? new TreeSet<>() : new TreeSet<>(states.getFirst().keySet());
            String hint = Suggestions.closest(rule, ids).map(s -> "; did you mean `" + s + "`?").orElse("");
            throw new GitProgramException(Kind.UNKNOWN_RULE, "no rule, invariant or intent `" + rule + "` in the Program `"
                    + (folder.isEmpty() ? "." : folder) + "` at " + sha.substring(0, 7) + hint);
        }
        Entry here = states.getFirst().get(rule);
        String id = rule;
        Entry cur = here;
        ProgramCommit lastChanged = null;
        ProgramCommit introduced = null;
        List<Rename> renames = new ArrayList<>();
        for (int i = 0; i < commits.size(); i++) {
            ProgramCommit c = commits.get(i);
            if (i + 1 == commits.size()) {
                introduced = c;
                if (lastChanged == null) lastChanged = c;
                break;
            }
            Map<String, Entry> newer = states.get(i);
            Map<String, Entry> older = states.get(i + 1);
            Entry before = older.get(id);
            if (before != null) {
                if (!before.full().equals(cur.full()) && lastChanged == null) lastChanged = c;
                cur = before;
                continue;
            }
            String renamedFrom = null;
            for (var e : older.entrySet()) {
                if (!newer.containsKey(e.getKey()) && e.getValue().kind().equals(cur.kind()) && e.getValue().body().equals(cur.body())) {
                    renamedFrom = e.getKey();
                    break;
                }
            }
            if (renamedFrom == null) {
                introduced = c;
                if (lastChanged == null) lastChanged = c;
                break;
            }
            renames.add(new Rename(renamedFrom, id, c));
            if (lastChanged == null) lastChanged = c;
            id = renamedFrom;
            cur = older.get(renamedFrom);
        }
        return new Result(rule, here.kind(), folder, here.file(), here.line(), sha, introduced, lastChanged, renames, commits.size());
    }

    private static final Map<String, Entry> UNPARSEABLE = java.util.Collections.unmodifiableMap(new HashMap<>());

    /** The rules, invariants and intents of the Program by id; {@link #UNPARSEABLE} when a file has syntax errors. */
    private static Map<String, Entry> declarations(ProgramSnapshot snapshot) {
        Map<String, Entry> out = new HashMap<>();
        ProgramParser parser = new ProgramParser();
        for (var f : snapshot.files().files().entrySet()) {
            if (!f.getKey().endsWith(".charter")) continue;
            ProgramParser.Result parsed = parser.parse(f.getKey(), new String(f.getValue(), StandardCharsets.UTF_8));
            if (parsed.diagnostics().stream().anyMatch(Diagnostic::isError)) return UNPARSEABLE;
            for (Decl d : parsed.file().decls()) {
                switch (d) {
                    case Decl.RuleDecl r -> out.put(r.name().text(), entry("rule", f.getKey(), r,
                            new Decl.RuleDecl(blank(r.name()), null, r.when(), r.then(), r.approval(), r.span())));
                    case Decl.InvariantDecl v -> out.put(v.name().text(), entry("invariant", f.getKey(), v,
                            new Decl.InvariantDecl(blank(v.name()), null, v.level(), v.body(), v.span())));
                    case Decl.IntentDecl n -> out.put(n.name().text(), entry("intent", f.getKey(), n,
                            new Decl.IntentDecl(blank(n.name()), n.params(), null, n.resolve(), n.approval(), n.span())));
                    default -> { }
                }
            }
        }
        return out;
    }

    private static Name blank(Name name) {
        return new Name("_", name.span());
    }

    private static Entry entry(String kind, String file, Decl decl, Decl body) {
        return new Entry(kind, file, decl.span().line(), canonical(file, decl), canonical(file, body));
    }

    /** The declaration re-printed alone, without comments: its meaning, not its layout. */
    private static String canonical(String file, Decl decl) {
        return ProgramFormatter.format(new SourceFile(file, List.of(decl), List.of()));
    }
}

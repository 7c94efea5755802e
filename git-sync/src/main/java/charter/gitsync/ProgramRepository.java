package charter.gitsync;

import charter.compiler.diag.Suggestions;
import charter.compiler.load.ProgramFiles;
import charter.gitsync.GitProgramException.Kind;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;

/**
 * A Git repository holding a Program. Reads the Program at any revision straight from
 * the object database (TreeWalk over the commit's tree): the working tree, the index
 * and the checked-out branch are never looked at or changed, so a bare clone works as
 * well as a developer's checkout.
 *
 * <p>The Program's folder is the one holding {@code charter.yaml}, found at each
 * revision (the shallowest one), unless a path is given. Every failure a user can cause
 * is a {@link GitProgramException} with a one-line message.
 */
public final class ProgramRepository implements AutoCloseable {
    /** The name of the remote a clone fetches from. */
    public static final String ORIGIN = "origin";

    private final Repository repository;
    private final String display;

    private ProgramRepository(Repository repository, String display) {
        this.repository = repository;
        this.display = display;
    }

    /**
     * Opens the repository at {@code path}: a working tree's top folder (with {@code .git},
     * a directory or a worktree's link file) or a bare repository. Parent folders are not
     * searched, so a folder inside some other checkout is not mistaken for a Program repository.
     */
    public static ProgramRepository open(Path path) throws GitProgramException {
        if (!Files.isDirectory(path)) {
            throw new GitProgramException(Kind.NOT_A_REPOSITORY, "not a Git repository: " + path
                    + (Files.exists(path) ? " is a file" : " does not exist"));
        }
        File dir = path.toFile();
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        if (new File(dir, Constants.DOT_GIT).exists()) builder.setWorkTree(dir);
        else if (RepositoryCache.FileKey.isGitRepository(dir, FS.DETECTED)) builder.setGitDir(dir);
        else throw new GitProgramException(Kind.NOT_A_REPOSITORY, "not a Git repository: " + path
                    + " (no .git in it); give the repository's top folder");
        try {
            Repository repo = builder.build();
            if (!repo.getObjectDatabase().exists()) {
                repo.close();
                throw new GitProgramException(Kind.NOT_A_REPOSITORY, "not a Git repository: " + path + " (no object database)");
            }
            return new ProgramRepository(repo, path.toString());
        } catch (IOException | IllegalArgumentException e) {
            throw new GitProgramException(Kind.NOT_A_REPOSITORY, "cannot open the Git repository at " + path + ": " + message(e), e);
        }
    }

    /** Clones {@code url} (file://, https://, ssh://) as a bare repository into {@code dir}, all branches and tags. */
    public static ProgramRepository clone(String url, Path dir) throws GitProgramException {
        try {
            Git git = Git.cloneRepository().setURI(url).setDirectory(dir.toFile()).setBare(true)
                    .setCloneAllBranches(true).setRemote(ORIGIN).call();
            return new ProgramRepository(git.getRepository(), url);
        } catch (GitAPIException | RuntimeException e) {
            throw new GitProgramException(Kind.REMOTE, "cannot clone " + url + ": " + message(e), e);
        }
    }

    /**
     * Fetches every branch and tag from {@code origin} when there is one, forcing
     * rewritten branches (a force-push upstream replaces the local ref). Returns whether
     * there was a remote to fetch from.
     */
    public boolean fetch() throws GitProgramException {
        if (!repository.getRemoteNames().contains(ORIGIN)) return false;
        String target = repository.isBare() ? "refs/heads/*" : "refs/remotes/" + ORIGIN + "/*";
        try (Git git = new Git(repository)) {
            git.fetch().setRemote(ORIGIN).setRefSpecs(new RefSpec("+refs/heads/*:" + target))
                    .setRemoveDeletedRefs(true).setTagOpt(org.eclipse.jgit.transport.TagOpt.FETCH_TAGS).call();
            return true;
        } catch (GitAPIException | RuntimeException e) {
            throw new GitProgramException(Kind.REMOTE, "cannot fetch from " + ORIGIN + " (" + display + "): " + message(e), e);
        }
    }

    /** The JGit repository, for the watcher; callers must not close it. */
    public Repository repository() {
        return repository;
    }

    /** Where the repository was opened from (a path or a URL), for messages. */
    public String display() {
        return display;
    }

    // ---- revisions

    /** The full SHA of the commit {@code rev} names: a branch, a tag, {@code HEAD~1}, a (short) SHA — anything Git accepts. */
    public String resolve(String rev) throws GitProgramException {
        return resolveId(rev).name();
    }

    ObjectId resolveId(String rev) throws GitProgramException {
        if (rev == null || rev.isBlank()) throw new GitProgramException(Kind.UNKNOWN_REVISION, "empty revision");
        ObjectId id;
        try {
            id = repository.resolve(rev + "^{commit}");
        } catch (AmbiguousObjectException e) {
            throw new GitProgramException(Kind.UNKNOWN_REVISION, "ambiguous revision `" + rev + "` in " + display
                    + ": several objects start with it; give more characters of the SHA", e);
        } catch (IncorrectObjectTypeException e) {
            throw new GitProgramException(Kind.UNKNOWN_REVISION, "revision `" + rev + "` in " + display + " does not name a commit", e);
        } catch (RevisionSyntaxException e) {
            throw new GitProgramException(Kind.UNKNOWN_REVISION, "bad revision `" + rev + "`: " + message(e), e);
        } catch (MissingObjectException e) {
            // A full SHA that names nothing here is an unknown revision, not a damaged repository.
            if (ObjectId.isId(rev.strip()) && e.getObjectId() != null && e.getObjectId().name().equalsIgnoreCase(rev.strip())) {
                throw unknownRevision(rev);
            }
            throw corrupt(e);
        } catch (IOException e) {
            throw corrupt(e);
        }
        if (id == null) throw unknownRevision(rev);
        return id;
    }

    private GitProgramException unknownRevision(String rev) {
        List<String> names = new ArrayList<>(branches());
        names.addAll(tags());
        StringBuilder m = new StringBuilder("unknown revision `" + rev + "` in " + display);
        if (names.isEmpty()) {
            m.append(": the repository has no commits yet");
        } else {
            Suggestions.closest(rev, names).ifPresent(s -> m.append("; did you mean `").append(s).append("`?"));
            List<String> branches = branches();
            if (!branches.isEmpty()) m.append(" (branches: ").append(String.join(", ", branches.subList(0, Math.min(8, branches.size()))))
                    .append(branches.size() > 8 ? ", …" : "").append(')');
        }
        return new GitProgramException(Kind.UNKNOWN_REVISION, m.toString());
    }

    /** Local branch names (for a bare clone, the remote's branches). */
    public List<String> branches() {
        return refNames(Constants.R_HEADS);
    }

    public List<String> tags() {
        return refNames(Constants.R_TAGS);
    }

    private List<String> refNames(String prefix) {
        try {
            TreeSet<String> names = new TreeSet<>();
            for (Ref ref : repository.getRefDatabase().getRefsByPrefix(prefix)) names.add(ref.getName().substring(prefix.length()));
            return List.copyOf(names);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The commit {@code rev} names, with its author, date and message. */
    public ProgramCommit commit(String rev) throws GitProgramException {
        ObjectId id = resolveId(rev);
        try (RevWalk walk = new RevWalk(repository)) {
            return commit(walk.parseCommit(id));
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    static ProgramCommit commit(RevCommit c) {
        var author = c.getAuthorIdent();
        return new ProgramCommit(c.getName(), author.getName(), author.getEmailAddress(), author.getWhenAsInstant(),
                c.getShortMessage(), c.getParentCount());
    }

    // ---- reading a Program

    /** The compiler's input at {@code rev}; {@code path} is the Program folder, or null to find the one holding charter.yaml. */
    public ProgramFiles read(String rev, String path) throws GitProgramException {
        return snapshot(rev, path).files();
    }

    /** The Program at {@code rev}: its files, its scenarios and the commit. */
    public ProgramSnapshot snapshot(String rev, String path) throws GitProgramException {
        ObjectId id = resolveId(rev);
        try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader()) {
            RevCommit commit = walk.parseCommit(id);
            String folder = path == null ? findProgramFolder(commit) : normalise(path);
            ObjectId tree = folderTree(commit, folder, reader);
            Map<String, byte[]> files = new TreeMap<>();
            Map<String, Long> oversized = new TreeMap<>();
            Map<String, byte[]> scenarios = new TreeMap<>();
            try (TreeWalk tw = new TreeWalk(reader)) {
                tw.addTree(tree);
                tw.setRecursive(true);
                while (tw.next()) {
                    String rel = tw.getPathString();
                    FileMode mode = tw.getFileMode(0);
                    if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) continue;
                    if (rel.startsWith(".") || rel.contains("/.") || rel.startsWith("target/")) continue;
                    boolean program = rel.equals(ProgramFiles.MANIFEST) || rel.endsWith(".charter");
                    boolean scenario = rel.startsWith("scenarios/") && rel.indexOf('/', "scenarios/".length()) < 0
                            && (rel.endsWith(".yaml") || rel.endsWith(".yml"));
                    if (!program && !scenario) continue;
                    ObjectLoader loader = reader.open(tw.getObjectId(0), Constants.OBJ_BLOB);
                    long size = loader.getSize();
                    if (size > ProgramFiles.MAX_FILE_BYTES) {
                        // Like a file on disk: the compiler reports it (CH105); a scenario this big is refused by name.
                        if (program) oversized.put(rel, size);
                        else throw new GitProgramException(Kind.BINARY_FILE, "scenario " + within(folder, rel) + " at "
                                + commit.abbreviate(7).name() + " is " + size + " bytes; a scenario may be at most "
                                + ProgramFiles.MAX_FILE_BYTES + " bytes");
                        continue;
                    }
                    byte[] bytes = loader.getCachedBytes((int) ProgramFiles.MAX_FILE_BYTES);
                    int nul = indexOfNul(bytes);
                    if (nul >= 0) {
                        throw new GitProgramException(Kind.BINARY_FILE, within(folder, rel) + " at " + commit.abbreviate(7).name()
                                + " is a binary file (NUL byte at offset " + nul + "); a Program file must be UTF-8 text");
                    }
                    if (program) files.put(rel, bytes);
                    else scenarios.put(rel, bytes);
                }
            }
            String root = (folder.isEmpty() ? "." : folder) + "@" + commit.abbreviate(7).name();
            return new ProgramSnapshot(commit(commit), folder, new ProgramFiles(root, files, oversized), scenarios);
        } catch (GitProgramException e) {
            throw e;
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    /** The tree of the Program folder at a commit; the folder must exist there and be a folder. */
    private ObjectId folderTree(RevCommit commit, String folder, ObjectReader reader) throws IOException, GitProgramException {
        RevTree root = commit.getTree();
        if (folder.isEmpty()) return root;
        try (TreeWalk tw = TreeWalk.forPath(reader, folder, root)) {
            if (tw == null) {
                throw new GitProgramException(Kind.NO_PROGRAM, "no Program folder `" + folder + "` at " + commit.abbreviate(7).name()
                        + " (" + commit.getShortMessage() + ")" + otherFolders(commit, folder));
            }
            if (tw.getFileMode(0) != FileMode.TREE) {
                throw new GitProgramException(Kind.NO_PROGRAM, "`" + folder + "` at " + commit.abbreviate(7).name()
                        + " is a file, not a Program folder");
            }
            return tw.getObjectId(0);
        }
    }

    private String otherFolders(RevCommit commit, String folder) {
        try {
            List<String> found = programFolders(commit);
            if (found.isEmpty()) return "";
            String s = Suggestions.closest(folder, found).orElse(null);
            return s != null ? "; did you mean `" + (s.isEmpty() ? "." : s) + "`?"
                    : "; Programs there: " + String.join(", ", found.stream().map(f -> f.isEmpty() ? "." : f).toList());
        } catch (IOException e) {
            return "";
        }
    }

    /** The shallowest folder holding charter.yaml at the commit; two at the same depth are ambiguous. */
    private String findProgramFolder(RevCommit commit) throws IOException, GitProgramException {
        List<String> folders = programFolders(commit);
        if (folders.isEmpty()) {
            throw new GitProgramException(Kind.NO_PROGRAM, "no Program at " + commit.abbreviate(7).name() + " ("
                    + commit.getShortMessage() + "): no charter.yaml anywhere in the tree");
        }
        int depth = depth(folders.getFirst());
        List<String> shallowest = folders.stream().filter(f -> depth(f) == depth).toList();
        if (shallowest.size() > 1) {
            throw new GitProgramException(Kind.NO_PROGRAM, "several Programs at " + commit.abbreviate(7).name() + ": "
                    + String.join(", ", shallowest) + "; choose one with --path");
        }
        return shallowest.getFirst();
    }

    private List<String> programFolders(RevCommit commit) throws IOException {
        List<String> folders = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(repository)) {
            tw.addTree(commit.getTree());
            tw.setRecursive(true);
            tw.setFilter(PathSuffixFilter.create(ProgramFiles.MANIFEST));
            while (tw.next()) {
                String p = tw.getPathString();
                if (p.equals(ProgramFiles.MANIFEST)) folders.add("");
                else if (p.endsWith("/" + ProgramFiles.MANIFEST)) folders.add(p.substring(0, p.length() - ProgramFiles.MANIFEST.length() - 1));
            }
        }
        folders.sort(java.util.Comparator.comparingInt(ProgramRepository::depth).thenComparing(f -> f));
        return folders;
    }

    private static int depth(String folder) {
        return folder.isEmpty() ? 0 : (int) folder.chars().filter(ch -> ch == '/').count() + 1;
    }

    // ---- history

    /** The commits that touched the Program folder, newest first, from HEAD. */
    public List<ProgramCommit> history(String path) throws GitProgramException {
        return history(Constants.HEAD, path);
    }

    /** The commits reachable from {@code rev} that touched the Program folder (found at {@code rev} when path is null), newest first. */
    public List<ProgramCommit> history(String rev, String path) throws GitProgramException {
        ObjectId id = resolveId(rev);
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit start = walk.parseCommit(id);
            String folder = path == null ? findProgramFolder(start) : normalise(path);
            walk.reset();
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.COMMIT_TIME_DESC, true);
            if (!folder.isEmpty()) walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(folder), TreeFilter.ANY_DIFF));
            walk.markStart(walk.parseCommit(id));
            List<ProgramCommit> out = new ArrayList<>();
            for (RevCommit c : walk) out.add(commit(c));
            return out;
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    /** The Program folder at {@code rev}: {@code path} normalised, or the one holding charter.yaml. */
    public String programFolder(String rev, String path) throws GitProgramException {
        if (path != null) return normalise(path);
        try (RevWalk walk = new RevWalk(repository)) {
            return findProgramFolder(walk.parseCommit(resolveId(rev)));
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    // ---- helpers

    static String normalise(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("./")) p = p.substring(2);
        while (p.startsWith("/")) p = p.substring(1);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.equals(".") ? "" : p;
    }

    private static String within(String folder, String rel) {
        return folder.isEmpty() ? rel : folder + "/" + rel;
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == 0) return i;
        return -1;
    }

    GitProgramException corrupt(IOException e) {
        return new GitProgramException(Kind.CORRUPT, "cannot read the Git repository at " + display + ": " + message(e)
                + "; the repository may be damaged (run `git fsck`)", e);
    }

    static String message(Throwable e) {
        Throwable t = e;
        String m = t.getMessage();
        while ((m == null || m.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            m = t.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        repository.close();
    }
}

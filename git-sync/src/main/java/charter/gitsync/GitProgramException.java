package charter.gitsync;

/**
 * Reading a Program from Git failed in a way the user can act on. The message is one
 * line meant for people; {@link #kind()} is for code (the watcher records it, the CLI
 * turns it into a user error, exit 1).
 */
public final class GitProgramException extends Exception {
    public enum Kind {
        /** The path does not exist or holds no Git repository. */
        NOT_A_REPOSITORY,
        /** Cloning or fetching a remote failed. */
        REMOTE,
        /** The revision resolves to nothing (with a did-you-mean over branches and tags). */
        UNKNOWN_REVISION,
        /** No Program folder at that revision (the given path, or no charter.yaml anywhere). */
        NO_PROGRAM,
        /** A Program file is binary (holds NUL bytes). */
        BINARY_FILE,
        /** An object or pack of the repository cannot be read. */
        CORRUPT,
        /** `blame`: the rule is not in the Program at that revision. */
        UNKNOWN_RULE
    }

    private final Kind kind;

    public GitProgramException(Kind kind, String message) {
        this(kind, message, null);
    }

    public GitProgramException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

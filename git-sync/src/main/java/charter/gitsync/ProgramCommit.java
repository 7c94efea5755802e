package charter.gitsync;

import java.time.Instant;

/**
 * One commit in a Program's history.
 *
 * @param sha     the full 40-character SHA
 * @param message the first line of the commit message
 * @param parents how many parents (2 or more: a merge)
 */
public record ProgramCommit(String sha, String author, String email, Instant date, String message, int parents) {
    /** At least 7 characters, as Git abbreviates. */
    public String shortSha() {
        return sha.substring(0, 7);
    }
}

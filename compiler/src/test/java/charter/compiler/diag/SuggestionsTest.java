package charter.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void distance() {
        assertEquals(0, Suggestions.distance("abc", "abc"));
        assertEquals(1, Suggestions.distance("abc", "acb"));
        assertEquals(1, Suggestions.distance("abc", "abcd"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
        assertEquals(3, Suggestions.distance("", "abc"));
    }

    @Test
    void closest() {
        List<String> types = List.of("vercel.deployment.error", "vercel.deployment.ready", "github.push");
        assertEquals(Optional.of("vercel.deployment.error"), Suggestions.closest("vercel.deploymnet.eror", types));
        assertEquals(Optional.of("github.push"), Suggestions.closest("github.psuh", types));
        assertEquals(Optional.of("github.push"), Suggestions.closest("GitHub.Push", types));
        assertTrue(Suggestions.closest("linear.issue.created", types).isEmpty());
        assertTrue(Suggestions.closest("github.push", types).isEmpty());
        assertEquals(Optional.of("sha"), Suggestions.closest("sah", List.of("sha", "url")));
        assertTrue(Suggestions.closest("xyz", List.of("sha", "url")).isEmpty());
        assertEquals(Optional.of("aab"), Suggestions.closest("aaa", List.of("aac", "aab")));
    }
}

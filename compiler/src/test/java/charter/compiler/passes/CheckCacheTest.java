package charter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Differential: a compiler that remembers parses and JavaScript checks between runs (the language
 * server's) reports exactly what a fresh compiler reports, over a seeded sequence of random edits
 * to the acme Program, each edit building on the last as keystrokes do, JavaScript bodies included.
 */
class CheckCacheTest {
    private static final List<String> INSERTS = List.of("x", ".", "(", ")", "\"", "}", "{", " and ", " d.targte ", "\n",
            " rule r { when github.push p then slack.post(channel: \"#a\", text: \"b\") }\n", " return ", ";", "+", "=>", " / ");

    @Test
    void aCachingCompilerReportsWhatAFreshOneDoesAfterEveryEdit() throws Exception {
        ProgramFiles acme = ProgramFiles.fromDirectory(Path.of("../program-examples/acme"));
        ProgramCompiler cached = new ProgramCompiler(Catalog.standard(), CheckCache.bounded(64));
        ProgramCompiler fresh = new ProgramCompiler(Catalog.standard());
        Map<String, byte[]> files = new TreeMap<>(acme.files());
        List<String> charterFiles = files.keySet().stream().filter(p -> p.endsWith(".charter")).toList();
        Random random = new Random(20261205L);
        int withErrors = 0;
        for (int step = 0; step < 12; step++) {
            // Every third edit is in the JavaScript functions, whose check the cache remembers.
            String path = step % 3 == 0 ? "functions.charter" : charterFiles.get(random.nextInt(charterFiles.size()));
            String text = new String(files.get(path), StandardCharsets.UTF_8);
            int at = random.nextInt(text.length() + 1);
            String edited = random.nextBoolean()
                    ? text.substring(0, at) + INSERTS.get(random.nextInt(INSERTS.size())) + text.substring(at)
                    : text.substring(0, at) + text.substring(Math.min(text.length(), at + random.nextInt(12)));
            // Half the time the edit is undone at the next step, as a typo fixed: the cache then answers from memory.
            Map<String, byte[]> next = new TreeMap<>(files);
            next.put(path, edited.getBytes(StandardCharsets.UTF_8));
            ProgramFiles program = new ProgramFiles(acme.root(), next);
            Compilation expected = fresh.check(program);
            Compilation actual = cached.check(program);
            assertEquals(expected.diagnostics(), actual.diagnostics(), "step " + step + ", " + path + " at " + at);
            assertEquals(expected.passesRun(), actual.passesRun(), "step " + step);
            if (!expected.ok()) withErrors++;
            if (random.nextBoolean()) files = next;
            else assertEquals(fresh.check(new ProgramFiles(acme.root(), files)).diagnostics(),
                    cached.check(new ProgramFiles(acme.root(), files)).diagnostics(), "step " + step + " undone");
        }
        assertTrue(withErrors > 1, "the edits must break the Program now and then to test anything: " + withErrors);
    }
}

package charter.compiler.passes;

import charter.compiler.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/** Collects the diagnostics of one compilation; every pass reports into it and none throws for bad input. */
public final class Diagnostics {
    private final List<Diagnostic> all = new ArrayList<>();

    public void report(Diagnostic d) {
        all.add(d);
    }

    public void reportAll(List<Diagnostic> ds) {
        all.addAll(ds);
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> all() {
        return List.copyOf(all);
    }
}

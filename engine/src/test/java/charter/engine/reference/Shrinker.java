package charter.engine.reference;

import java.util.function.Predicate;

/**
 * Shrinks a failing case to a small one that still fails the same way: drops declarations,
 * then events, then intents, one at a time, keeping each removal that keeps the failure, until
 * no single removal does.
 */
final class Shrinker {
    private Shrinker() {}

    static DiffCase shrink(DiffCase failing, Predicate<DiffCase> stillFails) {
        DiffCase c = failing;
        for (boolean progress = true; progress; ) {
            progress = false;
            for (int i = c.declarations().size() - 1; i >= 0; i--) {
                DiffCase smaller = c.withDeclarations(DiffCase.without(c.declarations(), i));
                if (stillFails.test(smaller)) {
                    c = smaller;
                    progress = true;
                }
            }
            for (int i = c.events().size() - 1; i >= 0; i--) {
                DiffCase smaller = c.withEvents(DiffCase.without(c.events(), i));
                if (stillFails.test(smaller)) {
                    c = smaller;
                    progress = true;
                }
            }
            for (int i = c.intents().size() - 1; i >= 0; i--) {
                DiffCase smaller = c.withIntents(DiffCase.without(c.intents(), i));
                if (stillFails.test(smaller)) {
                    c = smaller;
                    progress = true;
                }
            }
        }
        return c;
    }
}

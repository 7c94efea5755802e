package charter.engine.event;

import java.util.List;

/** The events read from a file and every error found; events of erroneous lines are left out. */
public record EventFileResult(List<CanonicalEvent> events, List<EventFileError> errors) {
    public EventFileResult {
        events = List.copyOf(events);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}

package charter.cli.report;

import charter.gitsync.WatchEvent;

/** `charter watch`: one entry of the watcher's history, printed as it happens (JSON: one object a line). */
public record WatchEventReport(String branch, WatchEvent event) implements CommandResult {
    @Override
    public int exitCode() {
        return event.kind() == WatchEvent.Kind.REJECTED || event.kind() == WatchEvent.Kind.ERROR ? 1 : 0;
    }
}

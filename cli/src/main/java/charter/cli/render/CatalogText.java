package charter.cli.render;

import charter.cli.report.CatalogReport;
import charter.compiler.catalog.CatalogSearch;
import charter.compiler.catalog.EntityRefSpec;
import charter.compiler.catalog.EventTypeSpec;
import charter.compiler.catalog.FieldSpec;
import charter.compiler.catalog.ToolParam;
import java.util.Collection;
import java.util.List;

/** `charter catalog` for people: a listing grouped by source and kind, one entry in full, or search hits. */
final class CatalogText {
    private final StringBuilder out = new StringBuilder();

    String render(CatalogReport r) {
        switch (r.view()) {
            case CatalogReport.View.Listing l -> listing(l.entries());
            case CatalogReport.View.One o -> full(o.entry());
            case CatalogReport.View.Search s -> search(s);
        }
        return out.toString();
    }

    private void listing(List<CatalogSearch.Entry> entries) {
        String group = null;
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (CatalogSearch.Entry e : entries) {
            String g = switch (e) {
                case CatalogSearch.Entry.Event ev -> ev.spec().source() + " events";
                case CatalogSearch.Entry.Entity en -> "entity types";
                case CatalogSearch.Entry.Tool t -> "tools";
            };
            if (!g.equals(group)) {
                if (group != null) out.append('\n');
                out.append(g).append('\n');
                group = g;
            }
            out.append("  ").append(pad(label(e), width + 2)).append(description(e)).append('\n');
        }
        out.append('\n').append(entries.size()).append(entries.size() == 1 ? " entry" : " entries")
                .append("; `charter catalog NAME` shows one in full\n");
    }

    private void search(CatalogReport.View.Search s) {
        if (s.hits().isEmpty()) {
            out.append("nothing in the catalog matches \"").append(s.query()).append("\"\n");
            return;
        }
        int width = s.hits().stream().mapToInt(h -> label(h.entry()).length()).max().orElse(0);
        for (CatalogSearch.Hit h : s.hits()) {
            out.append(pad(label(h.entry()), width + 2)).append(description(h.entry()));
            if (!h.matchedFields().isEmpty()) out.append("  [").append(String.join(", ", h.matchedFields())).append(']');
            out.append('\n');
        }
        out.append('\n').append(s.hits().size()).append(s.hits().size() == 1 ? " match" : " matches").append('\n');
    }

    private void full(CatalogSearch.Entry entry) {
        switch (entry) {
            case CatalogSearch.Entry.Event e -> {
                EventTypeSpec spec = e.spec();
                out.append(spec.name()).append("  (").append(spec.source()).append(" event; default significance ")
                        .append(spec.defaultSignificance()).append(")\n");
                if (!spec.description().isEmpty()) out.append("  ").append(spec.description()).append('\n');
                out.append("\nfields (").append(String.join(", ", EventTypeSpec.COMMON_FIELDS)).append(" on every event)\n");
                fields(spec.dataFields().values());
                if (!spec.entities().isEmpty()) {
                    out.append("\nmentions\n");
                    for (EntityRefSpec ref : spec.entities()) {
                        out.append("  ").append(pad(ref.type(), 16)).append(ref.key());
                        if (!ref.role().isEmpty()) out.append("  (").append(ref.role()).append(')');
                        out.append('\n');
                    }
                }
            }
            case CatalogSearch.Entry.Entity e -> {
                out.append(e.spec().name()).append("  (entity type; key ").append(e.spec().keyFormat());
                if (!e.spec().example().isEmpty()) out.append(", e.g. ").append(e.spec().example());
                out.append(")\n");
                if (!e.spec().description().isEmpty()) out.append("  ").append(e.spec().description()).append('\n');
                out.append("\nattributes\n");
                fields(e.spec().attributes().values());
            }
            case CatalogSearch.Entry.Tool t -> {
                out.append(label(entry)).append("  (tool)\n");
                if (!t.spec().description().isEmpty()) out.append("  ").append(t.spec().description()).append('\n');
                out.append("\narguments\n");
                int width = t.spec().params().stream().mapToInt(p -> p.name().length()).max().orElse(0);
                for (ToolParam p : t.spec().params()) {
                    out.append("  ").append(pad(p.name(), width + 2)).append(pad(p.type().displayName(), 14))
                            .append(p.required() ? "required" : "optional");
                    if (!p.description().isEmpty()) out.append("  ").append(p.description());
                    out.append('\n');
                }
            }
        }
    }

    private void fields(Collection<FieldSpec> fields) {
        int width = fields.stream().mapToInt(f -> f.name().length()).max().orElse(0);
        for (FieldSpec f : fields) {
            out.append("  ").append(pad(f.name(), width + 2)).append(pad(f.type().displayName(), 14)).append(f.description()).append('\n');
        }
    }

    /** A tool is shown with its arguments, required ones first as declared: `slack.post(channel, text)`. */
    private static String label(CatalogSearch.Entry e) {
        if (e instanceof CatalogSearch.Entry.Tool t) {
            return t.name() + "(" + String.join(", ", t.spec().params().stream().map(p -> p.required() ? p.name() : p.name() + "?").toList()) + ")";
        }
        return e.name();
    }

    private static String description(CatalogSearch.Entry e) {
        return switch (e) {
            case CatalogSearch.Entry.Event ev -> ev.spec().description();
            case CatalogSearch.Entry.Entity en -> en.spec().description();
            case CatalogSearch.Entry.Tool t -> t.spec().description();
        };
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}

package charter.cli.report;

import charter.compiler.catalog.CatalogSearch;
import java.util.List;

/** `charter catalog`: what the catalog holds, as the command asked for it. */
public record CatalogReport(View view) implements CommandResult {
    /** What was asked: a listing, one entry, or a search. */
    public sealed interface View {
        /** Every entry, or those of one source or kind (`filter` says which; empty for all). */
        record Listing(String filter, List<CatalogSearch.Entry> entries) implements View {
            public Listing {
                entries = List.copyOf(entries);
            }
        }

        record One(CatalogSearch.Entry entry) implements View {}

        record Search(String query, List<CatalogSearch.Hit> hits) implements View {
            public Search {
                hits = List.copyOf(hits);
            }
        }
    }

    /** A search that finds nothing exits 1, as grep does, so a script can branch on it. */
    @Override
    public int exitCode() {
        return view instanceof View.Search s && s.hits().isEmpty() ? 1 : 0;
    }
}

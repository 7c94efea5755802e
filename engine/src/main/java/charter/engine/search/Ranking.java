package charter.engine.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.ScoreDoc;

/**
 * Relevance (BM25, relative to the best candidate), recency (halving every week before the newest
 * candidate) and significance (0–100), weighted 0.6, 0.25 and 0.15: a strong match wins, and among
 * similar matches the recent and the significant come first. Ties go to the later event in the log.
 *
 * <p>Time, significance and sequence come from doc values, read in doc order leaf by leaf: a
 * query re-ranks its {@code CANDIDATES} without reading any of their stored fields.
 */
final class Ranking {
    private static final double WEEK_MILLIS = 7 * 86_400_000.0;

    /** A candidate with its combined score. */
    record Ranked(int doc, double score, long sequence) {}

    private Ranking() {}

    /**
     * The candidates, best first.
     *
     * @param byRelevance whether the candidates' scores are relevance (false: every candidate is equally relevant)
     */
    static List<Ranked> rank(IndexReader reader, ScoreDoc[] candidates, boolean byRelevance) throws IOException {
        int n = candidates.length;
        long[] time = new long[n];
        long[] significance = new long[n];
        long[] sequence = new long[n];
        Integer[] inDocOrder = new Integer[n];
        for (int i = 0; i < n; i++) inDocOrder[i] = i;
        Arrays.sort(inDocOrder, Comparator.comparingInt(i -> candidates[i].doc));

        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = null;
        NumericDocValues times = null;
        NumericDocValues significances = null;
        NumericDocValues sequences = null;
        for (int i : inDocOrder) {
            int doc = candidates[i].doc;
            if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                times = DocValues.getNumeric(leaf.reader(), EventDocument.TIME);
                significances = DocValues.getNumeric(leaf.reader(), EventDocument.SIGNIFICANCE);
                sequences = DocValues.getNumeric(leaf.reader(), EventDocument.SEQUENCE);
            }
            int local = doc - leaf.docBase;
            time[i] = times.advanceExact(local) ? times.longValue() : 0;
            significance[i] = significances.advanceExact(local) ? significances.longValue() : EventDocument.DEFAULT_SIGNIFICANCE;
            sequence[i] = sequences.advanceExact(local) ? sequences.longValue() : 0;
        }

        long newest = Long.MIN_VALUE;
        float best = 0;
        for (int i = 0; i < n; i++) {
            newest = Math.max(newest, time[i]);
            if (byRelevance) best = Math.max(best, candidates[i].score);
        }
        List<Ranked> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double relevance = byRelevance && best > 0 ? candidates[i].score / best : 1;
            double recency = Math.pow(0.5, (newest - time[i]) / WEEK_MILLIS);
            double score = 0.6 * relevance + 0.25 * recency + 0.15 * (significance[i] / 100.0);
            out.add(new Ranked(candidates[i].doc, score, sequence[i]));
        }
        out.sort(Comparator.comparingDouble(Ranked::score).reversed().thenComparing(Comparator.comparingLong(Ranked::sequence).reversed()));
        return out;
    }
}

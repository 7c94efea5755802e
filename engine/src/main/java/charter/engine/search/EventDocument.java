package charter.engine.search;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.store.EventStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.StoredFields;

/**
 * How an event is laid out in the index, and read back as a hit. What ranking reads for each of
 * the many candidates (time, significance, log sequence) is in doc values, column-wise and cheap
 * to read; stored fields — one compressed block per document — are read only for the few hits
 * returned.
 */
final class EventDocument {
    /**
     * The layout's version, recorded in every commit: an index written with another layout (or
     * none, before this marker existed) is started afresh and refilled from the log.
     */
    static final String FORMAT = "2";

    static final String ID = "id";
    static final String SEQUENCE = "seq";
    static final String SOURCE = "source";
    static final String TYPE = "type";
    static final String TIME = "time";
    static final String SIGNIFICANCE = "significance";
    static final String ENTITY = "entity";
    static final String LINK = "link";
    static final String TEXT = "text";

    /** Significance of an event its Program gave none. */
    static final int DEFAULT_SIGNIFICANCE = 50;

    private static final FieldType TEXT_TYPE = textType();

    private EventDocument() {}

    private static FieldType textType() {
        FieldType t = new FieldType();
        t.setTokenized(true);
        t.setStored(true);
        t.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);   // the highlighter reads offsets, not the analyzer
        t.freeze();
        return t;
    }

    /**
     * The longest keyword (an event id, an entity) indexed as it is, in UTF-8 bytes; a longer one is
     * indexed by its digest ({@link #term}). Lucene refuses a term over 32,766 bytes, and a delivery
     * may carry an id of any length.
     */
    static final int MAX_KEYWORD_BYTES = 1_024;

    /** The indexed form of a keyword: itself, or {@code sha256:<hex>} of it when it is too long. Queries use the same. */
    static String term(String value) {
        if (value.length() * 3 <= MAX_KEYWORD_BYTES || value.getBytes(StandardCharsets.UTF_8).length <= MAX_KEYWORD_BYTES) return value;
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A keyword field: indexed by {@link #term}, stored as it is. */
    private static void keyword(Document d, String field, String value) {
        String term = term(value);
        if (term.equals(value)) {
            d.add(new StringField(field, value, Field.Store.YES));
        } else {
            d.add(new StringField(field, term, Field.Store.NO));
            d.add(new StoredField(field, value));
        }
    }

    static Document of(EventStore.StoredEvent s) {
        CanonicalEvent e = s.event();
        Document d = new Document();
        keyword(d, ID, e.id());
        d.add(new StoredField(SEQUENCE, s.sequence()));
        d.add(new NumericDocValuesField(SEQUENCE, s.sequence()));
        d.add(new StringField(SOURCE, e.source(), Field.Store.YES));
        d.add(new StringField(TYPE, e.type(), Field.Store.YES));
        long time = e.time().toEpochMilli();
        d.add(new LongPoint(TIME, time));
        d.add(new NumericDocValuesField(TIME, time));
        d.add(new StoredField(TIME, time));
        int significance = e.significance() == null ? DEFAULT_SIGNIFICANCE : e.significance();
        d.add(new StoredField(SIGNIFICANCE, significance));
        d.add(new NumericDocValuesField(SIGNIFICANCE, significance));
        for (EntityRef ref : e.entities()) keyword(d, ENTITY, ref.type() + ":" + ref.key());
        String link = EventText.link(e);
        if (link != null) d.add(new StoredField(LINK, link));
        d.add(new Field(TEXT, EventText.of(e), TEXT_TYPE));
        return d;
    }

    /**
     * A hit, from the document's stored fields (read once); {@code via} maps the entities the
     * graph expansion reached to the edge that led there (empty for a hit of the words).
     */
    static SearchResult.Hit hit(StoredFields fields, int doc, double score, String matched, Map<String, String> via) throws IOException {
        Document d = fields.document(doc);
        String how = null;
        for (String entity : d.getValues(ENTITY)) if (how == null) how = via.get(entity);
        return new SearchResult.Hit(d.get(ID), d.getField(SEQUENCE).numericValue().longValue(), d.get(SOURCE), d.get(TYPE),
                Instant.ofEpochMilli(d.getField(TIME).numericValue().longValue()), d.getField(SIGNIFICANCE).numericValue().intValue(),
                d.get(LINK), matched == null ? excerpt(d.get(TEXT)) : matched, Math.round(score * 1000) / 1000.0,
                List.of(d.getValues(ENTITY)), how);
    }

    /** The start of the event's text, for a hit whose words the highlighter did not mark. */
    private static String excerpt(String text) {
        String line = text == null ? "" : text.replace('\n', ' ');
        return line.length() <= 200 ? line : line.substring(0, 200) + " …";
    }
}

package charter.engine.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * Writes canonical events as JSON lines, keys in the canonical order (id, source, type, time,
 * significance if set, data, entities). Integral numbers are written without a fraction (42, not
 * 42.0). Output is deterministic: same events, same bytes.
 */
public final class EventFileWriter implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Writer out;
    private final JsonGenerator gen;

    public EventFileWriter(Writer out) {
        this.out = out;
        try {
            this.gen = FACTORY.createGenerator(out);
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one event and a newline. */
    public void write(CanonicalEvent e) {
        try {
            gen.writeStartObject();
            gen.writeStringField("id", e.id());
            gen.writeStringField("source", e.source());
            gen.writeStringField("type", e.type());
            gen.writeStringField("time", e.time().toString());
            if (e.significance() != null) {
                gen.writeNumberField("significance", e.significance());
            }
            gen.writeObjectFieldStart("data");
            for (Map.Entry<String, Object> f : e.data().entrySet()) {
                gen.writeFieldName(f.getKey());
                writeValue(f.getValue());
            }
            gen.writeEndObject();
            gen.writeArrayFieldStart("entities");
            for (EntityRef r : e.entities()) {
                gen.writeStartObject();
                gen.writeStringField("type", r.type());
                gen.writeStringField("key", r.key());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeEndObject();
            gen.flush();
            out.write('\n');
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void writeValue(Object v) throws IOException {
        switch (v) {
            case null -> gen.writeNull();
            case String s -> gen.writeString(s);
            case Boolean b -> gen.writeBoolean(b);
            case Number n -> {
                double d = n.doubleValue();
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    gen.writeNumber((long) d);
                } else {
                    gen.writeNumber(d);
                }
            }
            case List<?> list -> {
                gen.writeStartArray();
                for (Object x : list) {
                    writeValue(x);
                }
                gen.writeEndArray();
            }
            default -> gen.writeString(v.toString());
        }
    }

    /** One event as a JSON line, without the trailing newline. */
    public static String toJsonLine(CanonicalEvent e) {
        StringWriter sw = new StringWriter();
        try (EventFileWriter w = new EventFileWriter(sw)) {
            w.write(e);
        }
        String s = sw.toString();
        return s.substring(0, s.length() - 1);
    }

    @Override
    public void close() {
        try {
            gen.close();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package charter.engine.store;

import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Instant;

/**
 * How outputs, decisions and intent requests are kept in the store's JSON columns: the records
 * as they are, times as ISO-8601 strings. What is read back equals what was written.
 */
final class OutcomeJson {
    private final ObjectMapper json = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("charter-outcomes")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }));
    private final String where;

    OutcomeJson(String where) {
        this.where = where;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store a value as JSON: " + e.getOriginalMessage(), e);
        }
    }

    TimelineEntry entry(OutcomeStore.Kind kind, String text) {
        Class<? extends TimelineEntry> type = switch (kind) {
            case ACTION -> TimelineEntry.PlannedAction.class;
            case VIOLATION -> TimelineEntry.Violation.class;
            case ERROR -> TimelineEntry.RuleError.class;
            case SKIPPED -> TimelineEntry.SkippedAction.class;
        };
        return read(text, type);
    }

    TimelineEntry.Decision decision(String text) {
        return read(text, TimelineEntry.Decision.class);
    }

    IntentRequest request(String text) {
        return read(text, IntentRequest.class);
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException(where + " holds an outcome Charter cannot read (" + e.getOriginalMessage() + ")", e);
        }
    }
}

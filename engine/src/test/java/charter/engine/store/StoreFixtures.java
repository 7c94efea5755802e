package charter.engine.store;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.Normalised.Mention;
import charter.engine.ingest.Normalised.Relation;
import charter.engine.ingest.RawDelivery;
import charter.engine.store.EventStore.Ingested;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made deliveries for the store tests (the normalisers live elsewhere). */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00.123456Z");

    private StoreFixtures() {}

    static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    /** A builder for one delivery; {@link #build()} gives the Ingested. */
    static Delivery delivery(String source, String deliveryId) {
        return new Delivery(source, deliveryId);
    }

    static Mention mention(String type, String key, Object... claims) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < claims.length; i += 2) m.put((String) claims[i], claims[i + 1]);
        return new Mention(type, key, m);
    }

    static Relation relation(String fromType, String fromKey, String kind, String toType, String toKey) {
        return new Relation(fromType, fromKey, kind, toType, toKey);
    }

    static final class Delivery {
        private final String source;
        private final String deliveryId;
        private String type = "push";
        private Instant time = T0;
        private Integer significance;
        private final Map<String, Object> data = new LinkedHashMap<>();
        private final List<EntityRef> refs = new ArrayList<>();
        private final List<Mention> mentions = new ArrayList<>();
        private final List<Relation> relations = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private byte[] body;

        private Delivery(String source, String deliveryId) {
            this.source = source;
            this.deliveryId = deliveryId;
        }

        Delivery type(String t) { type = t; return this; }
        Delivery time(Instant t) { time = t; return this; }
        Delivery significance(int s) { significance = s; return this; }
        Delivery data(String k, Object v) { data.put(k, v); return this; }
        Delivery ref(String t, String k) { refs.add(new EntityRef(t, k)); return this; }
        Delivery mention(Mention m) { mentions.add(m); return this; }
        Delivery relation(Relation r) { relations.add(r); return this; }
        Delivery warning(String w) { warnings.add(w); return this; }
        Delivery body(byte[] b) { body = b; return this; }

        Ingested build() {
            byte[] bytes = body != null ? body
                    : ("{\"delivery\":\"" + deliveryId + "\",\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
            RawDelivery raw = new RawDelivery(source, Map.of("X-Delivery-Id", deliveryId, "Content-Type", "application/json"),
                    bytes, time.plusSeconds(1));
            CanonicalEvent event = new CanonicalEvent(source + ":" + deliveryId, source, type, time, data, refs, significance);
            return new Ingested(raw, new Normalised(deliveryId, event, mentions, relations, warnings));
        }
    }
}

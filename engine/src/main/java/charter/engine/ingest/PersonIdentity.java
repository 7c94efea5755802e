package charter.engine.ingest;

import charter.compiler.CompiledProgram;
import charter.compiler.builtins.Directory;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes person identity part of the graph. A source names a person its own way (a GitHub login, a
 * Linear email or user id, a Sentry assignee), so one human is several {@code person} entities; this
 * links each to the person it is, with a {@code same_person} relation from the source's person to a
 * canonical one:
 *
 * <ul>
 *   <li>with a Program, to {@code person:<name>} of the {@code person} block that declares any of its
 *       identities (its key, or its claimed {@code github}, {@code linear}, {@code vercel}, {@code
 *       sentry} or {@code email}), matched as the Program's {@code person()} matches them (case-insensitive);
 *   <li>with or without a Program, to {@code person:<email>} (lower-cased) when the mention is keyed by
 *       or claims an email: the same address seen as a GitHub commit author's and as a Linear user's
 *       is one node, whichever delivery came first, with nothing to look up in the store.
 * </ul>
 *
 * The canonical person is mentioned by the event too (it counts toward {@link Normalised#MAX_ENTITIES};
 * a link that does not fit is left out with a warning). Stateless and thread-safe.
 */
public final class PersonIdentity {

    /** The relation from a source's person to the person it is. */
    public static final String SAME_PERSON = "same_person";

    /** The person attributes that are identities, in the order they are tried against the Program. */
    private static final List<String> IDENTITIES = List.of("github", "linear", "vercel", "sentry", "email");

    private static final String PERSON = "person";

    private final Directory directory;

    private PersonIdentity(Directory directory) {
        this.directory = directory;
    }

    /** No Program: people are linked by email only. */
    public static PersonIdentity byEmail() {
        return new PersonIdentity(null);
    }

    /** The Program's {@code person} blocks first, then emails. */
    public static PersonIdentity of(CompiledProgram program) {
        return new PersonIdentity(program.directory());
    }

    /** {@code n} with the identity links of its person mentions added (the same object when there are none). */
    public Normalised link(Normalised n) {
        Set<String> present = new LinkedHashSet<>();
        for (Normalised.Mention m : n.mentions()) present.add(m.type() + "\0" + m.key());
        Map<String, Normalised.Relation> links = new LinkedHashMap<>();
        for (Normalised.Mention m : n.mentions()) {
            if (!m.type().equals(PERSON)) continue;
            for (String canonical : canonicalKeys(m)) {
                if (canonical.equals(m.key())) continue;
                Normalised.Relation r = new Normalised.Relation(PERSON, m.key(), SAME_PERSON, PERSON, canonical);
                links.putIfAbsent(r.fromKey() + "\0" + r.toKey(), r);
            }
        }
        if (links.isEmpty()) return n;

        List<Normalised.Mention> mentions = new ArrayList<>(n.mentions());
        List<EntityRef> refs = new ArrayList<>(n.event().entities());
        List<Normalised.Relation> relations = new ArrayList<>(n.relations());
        List<String> warnings = new ArrayList<>(n.warnings());
        int dropped = 0;
        for (Normalised.Relation r : links.values()) {
            if (relations.contains(r)) continue;
            if (present.add(PERSON + "\0" + r.toKey())) {
                if (mentions.size() >= Normalised.MAX_ENTITIES) {
                    present.remove(PERSON + "\0" + r.toKey());
                    dropped++;
                    continue;
                }
                mentions.add(new Normalised.Mention(PERSON, r.toKey(), Map.of()));
                refs.add(new EntityRef(PERSON, r.toKey()));
            }
            relations.add(r);
        }
        if (dropped > 0) {
            warnings.add(dropped + " identity links left out: at most " + Normalised.MAX_ENTITIES + " entities per event");
        }
        CanonicalEvent e = n.event();
        CanonicalEvent linked = new CanonicalEvent(e.id(), e.source(), e.type(), e.time(), e.data(), refs, e.significance());
        return new Normalised(n.deliveryId(), linked, mentions, relations, warnings);
    }

    /** The canonical persons a mention is: the Program's person, then its email; in that order, without repeats. */
    List<String> canonicalKeys(Normalised.Mention m) {
        Set<String> out = new LinkedHashSet<>();
        if (directory != null) {
            String name = directory.person(m.key());
            for (int i = 0; name == null && i < IDENTITIES.size(); i++) {
                if (m.claims().get(IDENTITIES.get(i)) instanceof String id) name = directory.person(id);
            }
            if (name != null) out.add(name);
        }
        String email = m.claims().get("email") instanceof String s && isEmail(s) ? s : isEmail(m.key()) ? m.key() : null;
        if (email != null) out.add(email.strip().toLowerCase(Locale.ROOT));
        return List.copyOf(out);
    }

    private static boolean isEmail(String s) {
        int at = s.indexOf('@');
        return at > 0 && at == s.lastIndexOf('@') && at < s.length() - 1 && s.indexOf(' ') < 0;
    }
}

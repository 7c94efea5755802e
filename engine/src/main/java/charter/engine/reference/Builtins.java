package charter.engine.reference;

import charter.compiler.ast.Decl;
import charter.compiler.builtins.TeamValue;
import charter.compiler.js.JsFunction;
import charter.compiler.js.JsFunctions;
import charter.compiler.model.ResolvedProgram;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * The built-in functions, from their documentation, over the Program's people and teams read
 * straight from its declarations. A missing argument gives a missing result, except
 * {@code owner} and {@code team_of}, which give {@code nobody}: never a null.
 */
final class Builtins {
    private final ResolvedProgram program;
    private final ZoneId zone;
    private final JsFunctions js;

    Builtins(ResolvedProgram program, ZoneId zone, JsFunctions js) {
        this.program = program;
        this.zone = zone;
        this.js = js;
    }

    Object call(String name, List<Object> args, long now) {
        switch (name) {
            case "owner" -> { return args.getFirst() instanceof String thing ? owner(thing) : TeamValue.NOBODY; }
            case "team_of" -> { return args.getFirst() instanceof String who ? teamOf(who) : TeamValue.NOBODY; }
            default -> { }
        }
        JsFunction function = js.byName(name);
        if (function != null) return js.call(function, args.toArray());
        if (args.contains(null)) return null;
        Object a = args.getFirst();
        return switch (name) {
            case "weekday" -> ((Instant) a).atZone(zone).getDayOfWeek().name().toLowerCase(Locale.ROOT);
            case "hour" -> (double) ((Instant) a).atZone(zone).getHour();
            case "age" -> Duration.ofMillis(now - ((Instant) a).toEpochMilli());
            case "person" -> { String p = person((String) a); yield p == null ? "" : p; }
            case "lower" -> ((String) a).toLowerCase(Locale.ROOT);
            case "upper" -> ((String) a).toUpperCase(Locale.ROOT);
            case "contains" -> a instanceof List<?> list ? list.contains(args.get(1)) : ((String) a).contains((String) args.get(1));
            case "starts_with" -> ((String) a).startsWith((String) args.get(1));
            case "ends_with" -> ((String) a).endsWith((String) args.get(1));
            case "len" -> (double) (a instanceof List<?> list ? list.size() : ((String) a).length());
            default -> throw new IllegalStateException("unknown function reached the reference interpreter: " + name);
        };
    }

    /** The person declared with this identity (or this id), compared without case; the first declared wins. */
    String person(String identity) {
        for (Decl.PersonDecl p : program.people().values()) {
            if (p.name().text().equalsIgnoreCase(identity)) return p.name().text();
        }
        for (Decl.PersonDecl p : program.people().values()) {
            for (Decl.Identity id : p.identities()) if (id.value().equalsIgnoreCase(identity)) return p.name().text();
        }
        return null;
    }

    /** The first team that declares it owns the thing, as `kind "value"` or by value alone. */
    TeamValue owner(String thing) {
        for (Decl.TeamDecl t : program.teams().values()) {
            for (Decl.Owned o : t.owns()) {
                if (thing.equalsIgnoreCase(o.kind().text() + ":" + o.value())) return new TeamValue(t.name().text());
            }
        }
        for (Decl.TeamDecl t : program.teams().values()) {
            for (Decl.Owned o : t.owns()) if (thing.equalsIgnoreCase(o.value())) return new TeamValue(t.name().text());
        }
        return TeamValue.NOBODY;
    }

    /** The first team (in declaration order) listing the person behind the identity. */
    TeamValue teamOf(String identity) {
        String who = person(identity);
        if (who == null) return TeamValue.NOBODY;
        for (Decl.TeamDecl t : program.teams().values()) {
            if (t.members().stream().anyMatch(m -> m.text().equals(who))) return new TeamValue(t.name().text());
        }
        return TeamValue.NOBODY;
    }

    boolean inTeam(String identity, String team) {
        String who = person(identity);
        Decl.TeamDecl t = program.teams().get(team);
        return who != null && t != null && t.members().stream().anyMatch(m -> m.text().equals(who));
    }
}

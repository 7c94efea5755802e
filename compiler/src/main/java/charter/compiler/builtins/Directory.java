package charter.compiler.builtins;

import charter.compiler.ast.Decl;
import charter.compiler.model.ResolvedProgram;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who is who in a Program, as lookup tables built once per Program version:
 * identities to people, people to teams, owned things to their team.
 */
public final class Directory {
    private final Map<String, String> personByIdentity = new HashMap<>();
    private final Map<String, Set<String>> membersByTeam = new LinkedHashMap<>();
    private final Map<String, TeamValue> ownerByThing = new HashMap<>();
    private final Map<String, String> firstTeamOfPerson = new HashMap<>();

    public Directory(ResolvedProgram program) {
        for (Decl.PersonDecl p : program.people().values()) {
            personByIdentity.putIfAbsent(key(p.name().text()), p.name().text());
            for (Decl.Identity id : p.identities()) personByIdentity.putIfAbsent(key(id.value()), p.name().text());
        }
        for (Decl.TeamDecl t : program.teams().values()) {
            Set<String> members = new LinkedHashSet<>();
            for (var m : t.members()) {
                members.add(m.text());
                firstTeamOfPerson.putIfAbsent(m.text(), t.name().text());
            }
            membersByTeam.put(t.name().text(), members);
            for (Decl.Owned o : t.owns()) {
                TeamValue team = new TeamValue(t.name().text());
                ownerByThing.putIfAbsent(key(o.kind().text() + ":" + o.value()), team);
                ownerByThing.putIfAbsent(key(o.value()), team);
            }
        }
    }

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** The person id behind any identity (GitHub login, email, Linear id, the id itself), or null. */
    public String person(String identity) {
        return identity == null ? null : personByIdentity.get(key(identity));
    }

    public TeamValue owner(String thing) {
        if (thing == null) return TeamValue.NOBODY;
        return ownerByThing.getOrDefault(key(thing), TeamValue.NOBODY);
    }

    public TeamValue teamOf(String identity) {
        String person = person(identity);
        String team = person == null ? null : firstTeamOfPerson.get(person);
        return team == null ? TeamValue.NOBODY : new TeamValue(team);
    }

    /** Whether the identity belongs to a member of the team. */
    public boolean inTeam(String identity, String team) {
        String person = person(identity);
        Set<String> members = membersByTeam.get(team);
        return person != null && members != null && members.contains(person);
    }
}

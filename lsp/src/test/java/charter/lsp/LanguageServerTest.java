package charter.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.fmt.ProgramFormatter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each feature of the language server, through a real LSP4J client, on a copy of the acme Program. */
class LanguageServerTest {
    static final Path ACME = Path.of("../program-examples/acme");

    @TempDir
    Path tmp;
    Path acme;
    LspSession lsp;

    @BeforeEach
    void start() throws Exception {
        acme = tmp.resolve("acme");
        copy(ACME, acme);
        lsp = new LspSession();
        lsp.initialize(acme);
    }

    @AfterEach
    void stop() throws Exception {
        lsp.close();
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    @Test
    void capabilitiesNameEveryFeature() throws Exception {
        try (LspSession other = new LspSession()) {
            var caps = other.initialize(acme).getCapabilities();
            assertTrue(caps.getHoverProvider().getLeft());
            assertTrue(caps.getDefinitionProvider().getLeft());
            assertTrue(caps.getDocumentSymbolProvider().getLeft());
            assertTrue(caps.getDocumentFormattingProvider().getLeft());
            assertTrue(caps.getCompletionProvider().getTriggerCharacters().contains("."));
        }
    }

    @Test
    void anErrorTypedInOneFileAppearsWithItsCodeAndPlaceAndClearsWhenFixed() throws Exception {
        Path deploys = acme.resolve("deploys.charter");
        String text = lsp.open(deploys);
        assertEquals(List.of(), lsp.diagnosticsOf(deploys, d -> true), "acme checks clean");

        String broken = text.replaceFirst("d\\.target == \"production\"", "d.targte == \"production\"");
        lsp.change(deploys, broken);
        List<Diagnostic> errors = lsp.diagnosticsOf(deploys, d -> !d.isEmpty());
        Diagnostic error = errors.getFirst();
        assertEquals(DiagnosticSeverity.Error, error.getSeverity());
        assertTrue(error.getCode().getLeft().startsWith("CH"), error.getCode().getLeft());
        assertTrue(error.getMessage().getLeft().contains("targte") && error.getMessage().getLeft().contains("target"), error.getMessage().getLeft());
        Position at = LspSession.position(broken, broken.indexOf("targte"));
        assertEquals(at.getLine(), error.getRange().getStart().getLine());
        assertTrue(error.getRange().getStart().getCharacter() <= at.getCharacter()
                && at.getCharacter() < error.getRange().getEnd().getCharacter(), error.getRange().toString());

        lsp.change(deploys, text);
        assertEquals(List.of(), lsp.diagnosticsOf(deploys, List::isEmpty));
    }

    @Test
    void anErrorInAnUnopenedFileIsReportedThereAndTheBufferWinsOverTheDisk() throws Exception {
        Path people = acme.resolve("people.charter");
        Path deploys = acme.resolve("deploys.charter");
        String peopleText = lsp.open(people);
        lsp.open(deploys);
        // Removing team platform from the buffer (not the disk) breaks deploys.charter, which names it.
        String withoutPlatform = peopleText.replaceAll("team platform", "team platformx");
        lsp.change(people, withoutPlatform);
        List<Diagnostic> inDeploys = lsp.diagnosticsOf(deploys, d -> !d.isEmpty());
        assertTrue(inDeploys.stream().anyMatch(d -> d.getMessage().getLeft().contains("platform")), inDeploys.toString());
        lsp.change(people, peopleText);
        lsp.diagnosticsOf(deploys, List::isEmpty);
    }

    @Test
    void aBurstOfKeystrokesEndsWithTheDiagnosticsOfTheLastText() throws Exception {
        Path deploys = acme.resolve("deploys.charter");
        String text = lsp.open(deploys);
        lsp.diagnosticsOf(deploys, d -> true);
        String broken = text.replace("severity: \"error\"", "severity: 3");
        for (int i = 0; i < 10; i++) lsp.change(deploys, i % 2 == 0 ? broken : text);
        lsp.change(deploys, broken);
        List<Diagnostic> last = lsp.diagnosticsOf(deploys, d -> !d.isEmpty());
        assertTrue(last.getFirst().getMessage().getLeft().contains("severity"), last.toString());
    }

    @Test
    void completesTheFieldsOfABindingInAHalfTypedRule() throws Exception {
        Path file = acme.resolve("new.charter");
        String text = "rule half \"typing\" {\n  when vercel.deployment.error d where d.";
        lsp.open(file, text);
        List<String> labels = labels(lsp.complete(file, LspSession.position(text, text.length())));
        assertTrue(labels.containsAll(List.of("target", "project", "error_message", "time")), labels.toString());
        assertFalse(labels.contains("rule"), labels.toString());

        String partial = text + "tar";
        lsp.change(file, partial);
        assertTrue(labels(lsp.complete(file, LspSession.position(partial, partial.length()))).contains("target"));
    }

    @Test
    void completesEventTypesWherePatternsStartAndByTheirPrefix() throws Exception {
        Path file = acme.resolve("new.charter");
        String text = "rule half {\n  when ";
        lsp.open(file, text);
        List<String> all = labels(lsp.complete(file, LspSession.position(text, text.length())));
        assertTrue(all.contains("vercel.deployment.error") && all.contains("sentry.issue.created"), all.toString());

        String prefixed = "rule half {\n  when vercel.";
        lsp.change(file, prefixed);
        List<String> vercel = labels(lsp.complete(file, LspSession.position(prefixed, prefixed.length())));
        assertTrue(vercel.contains("deployment.error"), vercel.toString());
        assertTrue(vercel.stream().noneMatch(l -> l.startsWith("issue")), vercel.toString());

        String inCount = "rule burst {\n  when count(";
        lsp.change(file, inCount);
        assertTrue(labels(lsp.complete(file, LspSession.position(inCount, inCount.length()))).contains("github.push"));
    }

    @Test
    void completesToolsTheirArgumentsAndTeamsAndPeopleAsValues() throws Exception {
        Path file = acme.resolve("new.charter");
        String then = "rule r {\n  when vercel.deployment.error d\n  then ";
        lsp.open(file, then);
        assertTrue(labels(lsp.complete(file, LspSession.position(then, then.length()))).contains("slack.post"));

        String args = then + "linear.create_issue(title: \"x\", ";
        lsp.change(file, args);
        List<CompletionItem> params = lsp.complete(file, LspSession.position(args, args.length()));
        List<String> names = labels(params);
        assertTrue(names.contains("team") && names.contains("assignee"), names.toString());
        assertFalse(names.contains("title"), "an argument already given is not offered again: " + names);

        String team = args + "team: ";
        lsp.change(file, team);
        assertTrue(labels(lsp.complete(file, LspSession.position(team, team.length()))).contains("team platform"));

        String assignee = args + "assignee: ";
        lsp.change(file, assignee);
        assertTrue(labels(lsp.complete(file, LspSession.position(assignee, assignee.length()))).contains("\"alice\""));

        String verb = then + "slack.";
        lsp.change(file, verb);
        assertTrue(labels(lsp.complete(file, LspSession.position(verb, verb.length()))).contains("post"));
    }

    @Test
    void completesApprovalByAfterAnActionAndPeopleAndTeamsAfterIt() throws Exception {
        Path file = acme.resolve("new.charter");
        String action = "rule r {\n  when vercel.deployment.error d\n  then slack.post(channel: \"#c\", text: \"x\") ";
        lsp.open(file, action);
        List<String> next = labels(lsp.complete(file, LspSession.position(action, action.length())));
        assertTrue(next.contains("approval by") && next.contains("slack.post"), next.toString());
        for (String text : List.of(action + "approval by ", action + "approval by alice, ", "rule r approval by ",
                "intent undo(project: string) approval by team platform, ")) {
            lsp.change(file, text);
            List<String> who = labels(lsp.complete(file, LspSession.position(text, text.length())));
            assertTrue(who.contains("bob") && who.contains("team") && who.contains("owner"), text + ": " + who);
            assertFalse(who.contains("rule"), text + ": " + who);
        }
    }

    @Test
    void completesPeopleInMembersTeamsAfterTeamIntentParametersAndIntentsAfterDeny() throws Exception {
        Path file = acme.resolve("new.charter");
        String members = "team qa \"QA\" {\n  members alice, ";
        lsp.open(file, members);
        List<String> people = labels(lsp.complete(file, LspSession.position(members, members.length())));
        assertTrue(people.contains("bob"), people.toString());

        String deny = "invariant x \"x\" hard {\n  deny ";
        lsp.change(file, deny);
        assertTrue(labels(lsp.complete(file, LspSession.position(deny, deny.length()))).contains("ship"));

        String intentField = deny + "ship where intent.";
        lsp.change(file, intentField);
        List<String> fields = labels(lsp.complete(file, LspSession.position(intentField, intentField.length())));
        assertTrue(fields.containsAll(List.of("project", "sha", "target", "actor")), fields.toString());

        String teamRef = deny + "ship unless intent.actor in team ";
        lsp.change(file, teamRef);
        assertTrue(labels(lsp.complete(file, LspSession.position(teamRef, teamRef.length()))).contains("platform"));

        String top = "rule a { when github.push p then slack.post(channel: \"#x\", text: \"y\") }\n";
        lsp.change(file, top);
        List<String> declarations = labels(lsp.complete(file, LspSession.position(top, top.length())));
        assertTrue(declarations.containsAll(List.of("rule", "invariant", "intent", "team", "person")), declarations.toString());
    }

    @Test
    void completesBareFieldsInASignificanceClauseAndParametersInsideAnIntent() throws Exception {
        Path file = acme.resolve("new.charter");
        String significance = "significance {\n  sentry.issue.created where lev";
        lsp.open(file, significance);
        List<String> fields = labels(lsp.complete(file, LspSession.position(significance, significance.length())));
        assertTrue(fields.contains("level") && fields.contains("environment"), fields.toString());

        String intent = "intent restart(service: string, region: string) \"Restart\" {\n  resolve slack.post(channel: \"#ops\", text: intent.";
        lsp.change(file, intent);
        List<String> params = labels(lsp.complete(file, LspSession.position(intent, intent.length())));
        assertTrue(params.containsAll(List.of("service", "region", "actor", "reason")), params.toString());
    }

    @Test
    void completesIdentityKindsInAPersonAndOwnedKindsInATeam() throws Exception {
        Path file = acme.resolve("new.charter");
        String person = "person carol {\n  name \"Carol\"\n  ";
        lsp.open(file, person);
        List<String> identities = labels(lsp.complete(file, LspSession.position(person, person.length())));
        assertTrue(identities.containsAll(List.of("github", "email", "slack")), identities.toString());

        String owns = "team qa \"QA\" {\n  members alice\n  owns repo \"acme/qa\", ";
        lsp.change(file, owns);
        List<String> kinds = labels(lsp.complete(file, LspSession.position(owns, owns.length())));
        assertTrue(kinds.containsAll(List.of("repo", "project", "service")), kinds.toString());
        assertFalse(kinds.contains("alice"), kinds.toString());
    }

    @Test
    void hoverShowsTheCatalogsTypesAndARulesTitle() throws Exception {
        Path deploys = acme.resolve("deploys.charter");
        String text = lsp.open(deploys);
        String event = hover(deploys, text, "vercel.deployment.error d", 8);
        assertTrue(event.contains("vercel.deployment.error") && event.contains("`target`") && event.contains("string"), event);

        String field = hover(deploys, text, "d.target", 3);
        assertTrue(field.contains("target: string"), field);

        String rule = hover(deploys, text, "page_on_failed_prod_deploy", 2);
        assertTrue(rule.contains("Page the owning team when a production deploy fails"), rule);

        String tool = hover(deploys, text, "pagerduty.page", 11);
        assertTrue(tool.contains("summary") && tool.contains("required"), tool);

        String builtin = hover(deploys, text, "owner(", 1);
        assertTrue(builtin.contains("owns"), builtin);
    }

    @Test
    void goesToTheDefinitionOfTeamsPeopleFunctionsAndImports() throws Exception {
        Path main = acme.resolve("main.charter");
        String mainText = lsp.open(main);
        Location function = definition(main, mainText, "pr_risk(", 2);
        assertTrue(function.getUri().endsWith("functions.charter"), function.getUri());
        String functions = Files.readString(acme.resolve("functions.charter"));
        assertEquals(LspSession.position(functions, functions.indexOf("pr_risk")).getLine(), function.getRange().getStart().getLine());

        Location imported = definition(main, mainText, "\"people.charter\"", 3);
        assertTrue(imported.getUri().endsWith("/people.charter"), imported.getUri());

        Path deploys = acme.resolve("deploys.charter");
        String text = lsp.open(deploys);
        Location team = definition(deploys, text, "team platform", 6);
        String people = Files.readString(acme.resolve("people.charter"));
        assertTrue(team.getUri().endsWith("people.charter"));
        assertEquals(LspSession.position(people, people.indexOf("team platform")).getLine(), team.getRange().getStart().getLine());

        Location person = definition(acme.resolve("people.charter"), lsp.open(acme.resolve("people.charter")), "members alice", 9);
        assertEquals(LspSession.position(people, people.indexOf("person alice")).getLine(), person.getRange().getStart().getLine());

        Location binding = definition(deploys, text, "d.target", 0);
        assertEquals(deploys.toUri().toString().replace("file:///", "file:/"), binding.getUri().replace("file:///", "file:/"));
        assertEquals(LspSession.position(text, text.indexOf("error d ") + 6), binding.getRange().getStart());
    }

    @Test
    void documentSymbolsListTheRulesInvariantsIntentsAndFunctions() throws Exception {
        Path intents = acme.resolve("intents.charter");
        String text = lsp.open(intents);
        List<DocumentSymbol> symbols = lsp.server.getTextDocumentService()
                .documentSymbol(new DocumentSymbolParams(new TextDocumentIdentifier(LspSession.uri(intents)))).get(30, TimeUnit.SECONDS)
                .stream().map(e -> e.getRight()).toList();
        List<String> names = symbols.stream().map(DocumentSymbol::getName).toList();
        assertTrue(names.containsAll(List.of("ship", "rollback", "triage", "no_friday_prod_deploys", "ship_by_owning_team")), names.toString());
        DocumentSymbol friday = symbols.stream().filter(s -> s.getName().equals("no_friday_prod_deploys")).findFirst().orElseThrow();
        assertEquals(LspSession.position(text, text.indexOf("no_friday_prod_deploys")).getLine(), friday.getSelectionRange().getStart().getLine());
        assertTrue(friday.getDetail().contains("No production deploys on Fridays"), friday.getDetail());
    }

    @Test
    void formattingGivesTheFormattersTextAndLeavesABrokenFileAlone() throws Exception {
        Path file = acme.resolve("messy.charter");
        String messy = "rule   messy \"Messy\"{when github.push p where p.forced then slack.post(channel:\"#x\",text:\"forced\")}\n";
        lsp.open(file, messy);
        var edits = lsp.server.getTextDocumentService().formatting(new DocumentFormattingParams(
                new TextDocumentIdentifier(LspSession.uri(file)), new FormattingOptions(2, true))).get(30, TimeUnit.SECONDS);
        assertEquals(1, edits.size());
        assertEquals(ProgramFormatter.check("messy.charter", messy).formatted(), edits.getFirst().getNewText());

        lsp.change(file, "rule broken { when github.push p where then }");
        var none = lsp.server.getTextDocumentService().formatting(new DocumentFormattingParams(
                new TextDocumentIdentifier(LspSession.uri(file)), new FormattingOptions(2, true))).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(), none);
    }

    private String hover(Path file, String text, String marker, int into) throws Exception {
        Position at = LspSession.position(text, text.indexOf(marker) + into);
        var hover = lsp.server.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(LspSession.uri(file)), at))
                .get(30, TimeUnit.SECONDS);
        if (hover == null) throw new AssertionError("no hover at `" + marker + "`+" + into);
        return hover.getContents().getRight().getValue();
    }

    private Location definition(Path file, String text, String marker, int into) throws Exception {
        Position at = LspSession.position(text, text.indexOf(marker) + into);
        var result = lsp.server.getTextDocumentService().definition(new DefinitionParams(new TextDocumentIdentifier(LspSession.uri(file)), at))
                .get(30, TimeUnit.SECONDS).getLeft();
        if (result.isEmpty()) throw new AssertionError("no definition at `" + marker + "`+" + into);
        return result.getFirst();
    }

    private static List<String> labels(List<CompletionItem> items) {
        return items.stream().map(CompletionItem::getLabel).toList();
    }
}

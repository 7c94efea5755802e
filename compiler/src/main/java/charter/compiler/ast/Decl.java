package charter.compiler.ast;

import java.util.List;

/** A top-level declaration of a Program file. */
public sealed interface Decl {
    Span span();

    /** `program "acme"` */
    record ProgramDecl(String name, Span span) implements Decl {}

    /** `import "people.charter"` */
    record ImportDecl(String path, Span span) implements Decl {}

    /** `person alice { github "alice-gh"  email "alice@acme.dev" }` */
    record PersonDecl(Name name, List<Identity> identities, Span span) implements Decl {
        public PersonDecl { identities = List.copyOf(identities); }
    }

    /** One `kind "value"` line of a person: github, linear, vercel, sentry, email, name, slack. */
    record Identity(Name kind, String value, Span span) {}

    /** `team platform "Platform" { members alice, bob  owns repo "acme/api" }` */
    record TeamDecl(Name name, String title, List<Name> members, List<Owned> owns, Span span) implements Decl {
        public TeamDecl { members = List.copyOf(members); owns = List.copyOf(owns); }
    }

    /** One owned thing: `repo "acme/api"`, `project "api"`, `service "payments"`. */
    record Owned(Name kind, String value, Span span) {}

    /** `significance { type [where cond] => score ... }` */
    record SignificanceDecl(List<SignificanceClause> clauses, Span span) implements Decl {
        public SignificanceDecl { clauses = List.copyOf(clauses); }
    }

    /** Inside `where`, the event's fields are named bare: `where level == "fatal"`; `where` may be null. */
    record SignificanceClause(TypeRef type, Expr where, int score, Span span) {}

    /** `truth deployment.status prefer vercel over github` */
    record TruthDecl(Name entity, Name attribute, List<Name> preference, Span span) implements Decl {
        public TruthDecl { preference = List.copyOf(preference); }
    }

    /** `rule id "title" [approval by ...] { when ... then ... }`; {@code approval} is null without the clause. */
    record RuleDecl(Name name, String title, List<Condition> when, List<ActionCall> then, ApprovalRule approval, Span span)
            implements Decl {
        public RuleDecl { when = List.copyOf(when); then = List.copyOf(then); }
    }

    /** `invariant id "title" hard { deny ... | every ... has ... }` */
    record InvariantDecl(Name name, String title, Level level, InvariantBody body, Span span) implements Decl {}

    /** `intent ship(repo: string) "title" [approval by ...] { resolve tool.verb(...) }`; {@code approval} may be null. */
    record IntentDecl(Name name, List<Param> params, String title, List<ActionCall> resolve, ApprovalRule approval, Span span)
            implements Decl {
        public IntentDecl { params = List.copyOf(params); resolve = List.copyOf(resolve); }
    }

    record Param(Name name, Name type, Span span) {}

    /**
     * `function js risk(additions: number, paths: list): number { ... }`. `body` is the
     * JavaScript exactly as written, braces included; `bodySpan` places it in the file.
     */
    record FunctionDecl(Name language, Name name, List<Param> params, Name result, String body, Span bodySpan, Span span)
            implements Decl {
        public FunctionDecl { params = List.copyOf(params); }
    }

    /** Enforcement level of an invariant. */
    enum Level {
        ADVISORY, SOFT, HARD;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

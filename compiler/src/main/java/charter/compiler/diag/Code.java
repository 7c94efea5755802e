package charter.compiler.diag;

/**
 * Every diagnostic Charter can report, with a stable code. Codes are grouped by
 * the pass that reports them: CH1xx loading, CH2xx syntax, CH3xx names,
 * CH4xx types, CH5xx semantics of rules and invariants, CH6xx the validator's warnings
 * (conditions that can never hold and other dead parts of a Program), CH9xx compiler bugs.
 * A code may carry help: what to do about it, shown under the diagnostic.
 */
public enum Code {
    // loading the Program folder
    MANIFEST_MISSING("CH101", "charter.yaml is missing"),
    MANIFEST_INVALID("CH102", "charter.yaml is malformed"),
    FILE_UNREADABLE("CH103", "a Program file cannot be read"),
    FILE_NOT_UTF8("CH104", "a Program file is not UTF-8"),
    FILE_TOO_LARGE("CH105", "a Program file is too large"),
    NO_SOURCES("CH106", "the Program has no .charter file"),
    LINK_OUTSIDE("CH107", "a symbolic link leads outside the Program folder"),
    // syntax
    SYNTAX("CH201", "syntax error"),
    NESTING_TOO_DEEP("CH202", "expression nested too deeply"),
    BAD_STRING("CH203", "malformed string literal"),
    BAD_NUMBER("CH204", "malformed number"),
    NAME_TOO_LONG("CH205", "a name is too long"),
    // names
    IMPORT_NOT_FOUND("CH301", "imported file does not exist"),
    IMPORT_CYCLE("CH302", "imports form a cycle"),
    DUPLICATE_NAME("CH303", "a name is declared twice"),
    UNKNOWN_PERSON("CH304", "unknown person"),
    UNKNOWN_TEAM("CH305", "unknown team"),
    UNKNOWN_INTENT("CH306", "unknown intent"),
    UNKNOWN_BINDING("CH307", "unknown name"),
    UNKNOWN_FUNCTION("CH308", "unknown function"),
    UNKNOWN_TOOL("CH309", "unknown action tool"),
    FILE_NOT_IMPORTED("CH310", "file is not reachable from the entry file"),
    PROGRAM_DECL("CH311", "program declaration missing or repeated"),
    UNKNOWN_IDENTITY_KIND("CH312", "unknown identity kind"),
    UNKNOWN_OWNED_KIND("CH313", "unknown kind of owned thing"),
    UNKNOWN_SOURCE("CH314", "unknown event source"),
    SOURCE_NOT_LISTED("CH315", "an event type of a source charter.yaml does not list"),
    // types
    UNKNOWN_EVENT_TYPE("CH401", "unknown event or entity type"),
    UNKNOWN_FIELD("CH402", "unknown field"),
    TYPE_MISMATCH("CH403", "type mismatch"),
    WRONG_ARGUMENTS("CH404", "wrong arguments"),
    UNKNOWN_ARGUMENT("CH405", "unknown action argument"),
    MISSING_ARGUMENT("CH406", "missing required action argument"),
    BAD_REGEX("CH407", "invalid regular expression"),
    UNKNOWN_TYPE("CH408", "unknown parameter type"),
    JS_FUNCTION("CH409", "invalid JavaScript function"),
    // rule and invariant semantics
    UNBOUNDED_JOIN("CH501", "two events joined without a time window"),
    BAD_SCORE("CH502", "significance score out of range"),
    BAD_WINDOW("CH503", "invalid time window"),
    ANCHOR_ORDER("CH504", "a temporal anchor must be bound earlier"),
    BAD_THRESHOLD("CH505", "count threshold out of range"),
    EXISTS_PLACEMENT("CH508", "exists(...) where it cannot be checked"),
    COUNT_NOT_ALONE("CH506", "a counting rule has other conditions"),
    STATE_WINDOW("CH507", "a state invariant needs a deadline"),
    GROUP_KEY("CH520", "invalid `by` key of a count"),
    SKIP_PLACEMENT("CH521", "`skip` or `??` where it has no meaning"),
    EXISTS_SCOPE("CH522", "exists(...) tied to bindings it cannot see together"),
    // the validator: sound warnings about parts of a Program that can never do anything
    NEVER_HOLDS("CH601", "a condition can never hold",
            "the conditions contradict each other (or what the catalog knows about the event); remove or correct one of them"),
    DUPLICATE("CH602", "a rule or invariant is identical to another up to names",
            "delete one of the two, or make them differ in what they match or do"),
    DENIES_EVERY_INTENT("CH603", "an invariant denies every intent of its type",
            "its condition always holds; narrow the `where`, or drop the condition if a freeze is meant"),
    UNLESS_ALWAYS_HOLDS("CH604", "an `unless` that always holds",
            "the guard can never deny; correct the `unless` or remove the invariant"),
    DEADLINE_NEVER_MATCHES("CH605", "a state invariant's deadline event can never match",
            "every event the invariant applies to will be a violation; correct the `has` pattern's condition"),
    // compiler bugs: generated DRL Drools rejected
    INTERNAL("CH901", "internal compiler error");

    private final String id;
    private final String summary;
    private final String help;

    Code(String id, String summary) {
        this(id, summary, "");
    }

    Code(String id, String summary, String help) {
        this.id = id;
        this.summary = summary;
        this.help = help;
    }

    public String id() { return id; }

    public String summary() { return summary; }

    /** What to do about it, or "" when the message says all. */
    public String help() { return help; }
}

package charter.compiler.eval;

import charter.compiler.builtins.Builtin;

/**
 * What an expression is evaluated against: the matched facts in binding order
 * (EventFact, IntentFact or a List of facts) and the built-ins' context, which
 * carries "now" — the event time in a simulation, never the wall clock.
 */
public record Frame(Object[] facts, Builtin.Context context) {}

/**
 * Facts and globals shared by generated DRL and the engine: {@link charter.facts.EventFact},
 * {@link charter.facts.IntentFact}, {@link charter.facts.CountLatch}, and the globals
 * {@code cond} ({@link charter.facts.Conditions}) and {@code out} ({@link charter.facts.Outputs}).
 *
 * <p>The DRL shape the generator must emit, and what was verified against Drools 10.2 classic
 * DRL, is in {@code CONVENTIONS.md} next to this file; the proofs are the tests in
 * {@code engine/src/test/java/charter/engine/runtime}.
 */
package charter.facts;

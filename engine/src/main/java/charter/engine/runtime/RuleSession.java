package charter.engine.runtime;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import charter.facts.Conditions;
import charter.facts.Outputs;
import org.drools.core.time.TimerService;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Global;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionClock;
import org.kie.api.time.SessionPseudoClock;

/**
 * One Drools session over a compiled Program: the globals {@code cond} and {@code out}, a clock,
 * and the working memory.
 *
 * <p><b>Simulation</b> ({@link #simulation}) runs on a pseudo clock that only moves through
 * {@link #advanceTo}. Moving the clock steps from timer to timer: every Drools job that comes
 * due on the way (an absence deadline, a sliding window dropping an event, an event expiring)
 * runs with the clock at exactly its due time, followed by {@code fireAllRules()}; so
 * {@code out} sees {@link #now()} equal to the deadline, not to the time of whatever moved the
 * clock.
 *
 * <p>Order at one instant T: facts stamped T are inserted and fired <em>before</em> timers due at
 * T run (those run when the clock next moves past T). This keeps windows inclusive at both
 * ends, as the language defines them: an assignment at exactly {@code a.time + 15m} satisfies
 * {@code within 15m after a} and so prevents {@code not … within 15m after a}; an event exactly
 * 1 h old still counts in {@code within 1h}. It is done by keeping the Drools clock 1 ms
 * behind the logical clock {@link #now()} between steps. The simulation loop is therefore:
 * {@code advanceTo(T); insert every fact stamped T; fireAllRules();} and, at the end,
 * {@code advanceTo(end)} past the last deadline of interest.
 *
 * <p><b>Live</b> ({@link #live}) runs on the real clock. Drools runs due timers on its own
 * thread but fires rules only in {@link #fireAllRules()}; call {@code advanceTo(now)} or
 * {@code fireAllRules()} periodically (e.g. once a second) so deadlines are reported on time.
 *
 * <p>Not thread-safe: one thread drives a session.
 */
public final class RuleSession implements AutoCloseable {
    /** Stop stepping if timers keep coming due at the same instant (a job rescheduling itself at 0 delay). */
    private static final int MAX_STEPS_AT_ONE_INSTANT = 100_000;

    private final KieSession session;
    private final SessionClock clock;
    private final SessionPseudoClock pseudoClock; // null when live
    private final TimerService timers;            // null when live
    /** Simulation: the Drools clock is 1 ms behind the logical clock (the normal state between steps). */
    private boolean lagging;

    private RuleSession(KieBase kieBase, Conditions conditions, Outputs outputs, boolean pseudo, long startMillis) {
        Objects.requireNonNull(kieBase, "kieBase");
        KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
        conf.setOption(pseudo ? ClockTypeOption.PSEUDO : ClockTypeOption.REALTIME);
        this.session = kieBase.newKieSession(conf, null);
        Set<String> globals = declaredGlobals(kieBase);
        if (globals.contains("cond")) {
            session.setGlobal("cond", Objects.requireNonNull(conditions, "conditions"));
        }
        if (globals.contains("out")) {
            session.setGlobal("out", Objects.requireNonNull(outputs, "outputs"));
        }
        this.clock = session.getSessionClock();
        if (pseudo) {
            this.pseudoClock = (SessionPseudoClock) clock;
            this.timers = (TimerService) clock;
            if (startMillis < 1) {
                throw new IllegalArgumentException("start time must be >= 1: " + startMillis);
            }
            pseudoClock.advanceTime(startMillis - 1 - pseudoClock.getCurrentTime(), TimeUnit.MILLISECONDS);
            this.lagging = true;
        } else {
            this.pseudoClock = null;
            this.timers = null;
        }
    }

    /** A session on a pseudo clock that starts at {@code startMillis} (epoch millis). */
    public static RuleSession simulation(KieBase kieBase, Conditions conditions, Outputs outputs, long startMillis) {
        return new RuleSession(kieBase, conditions, outputs, true, startMillis);
    }

    /** A session on the real clock. */
    public static RuleSession live(KieBase kieBase, Conditions conditions, Outputs outputs) {
        return new RuleSession(kieBase, conditions, outputs, false, 0);
    }

    public boolean isSimulation() {
        return pseudoClock != null;
    }

    /** The session clock, epoch millis. */
    public long now() {
        return lagging ? clock.getCurrentTime() + 1 : clock.getCurrentTime();
    }

    /**
     * Moves the logical clock to {@code epochMillis}. In simulation, every timer due strictly
     * before {@code epochMillis} runs at its own due time and is followed by
     * {@code fireAllRules()}; timers due exactly at {@code epochMillis} wait until the clock
     * moves past it, so that facts inserted at {@code epochMillis} are seen first (see the class
     * comment). Moving to the current time is a no-op; moving backwards throws.
     * Live: only fires rules for timers that came due.
     *
     * @throws IllegalArgumentException in simulation when {@code epochMillis < now()}
     */
    public void advanceTo(long epochMillis) {
        if (pseudoClock == null) {
            session.fireAllRules();
            return;
        }
        long logicalNow = now();
        if (epochMillis <= logicalNow) {
            if (epochMillis < logicalNow) {
                throw new IllegalArgumentException(
                        "clock cannot move backwards: now=" + logicalNow + ", requested=" + epochMillis);
            }
            return;
        }
        long target = epochMillis - 1; // the Drools clock stays 1 ms behind the logical clock
        long c = pseudoClock.getCurrentTime();
        int stepsAtInstant = 0;
        while (true) {
            long toNext = timers.getTimeToNextJob(); // -1 when no job; may be < -1 for an overdue job
            if (toNext == -1 || c + toNext > target) {
                break;
            }
            long step = Math.max(0, toNext);
            pseudoClock.advanceTime(step, TimeUnit.MILLISECONDS);
            c += step;
            lagging = false; // rules fired by this timer see now() == its due time
            session.fireAllRules();
            stepsAtInstant = step == 0 ? stepsAtInstant + 1 : 0;
            if (stepsAtInstant > MAX_STEPS_AT_ONE_INSTANT) {
                break;
            }
        }
        if (target > c) {
            pseudoClock.advanceTime(target - c, TimeUnit.MILLISECONDS);
        }
        lagging = true;
    }

    public FactHandle insert(Object fact) {
        return session.insert(fact);
    }

    /** Re-evaluates a fact already in memory after its mutable state changed (all properties). */
    public void update(Object fact) {
        session.update(handle(fact), fact);
    }

    public void delete(Object fact) {
        session.delete(handle(fact));
    }

    public void delete(FactHandle handle) {
        session.delete(handle);
    }

    /** @return the number of rules fired */
    public int fireAllRules() {
        return session.fireAllRules();
    }

    /** Facts currently in working memory (events, intents, latches, entities). */
    public long factCount() {
        return session.getFactCount();
    }

    /** The underlying session, for tools and tests; do not keep references past {@link #close()}. */
    public KieSession kieSession() {
        return session;
    }

    @Override
    public void close() {
        session.dispose();
    }

    private FactHandle handle(Object fact) {
        FactHandle h = session.getFactHandle(fact);
        if (h == null) {
            throw new IllegalArgumentException("not in working memory: " + fact);
        }
        return h;
    }

    private static Set<String> declaredGlobals(KieBase kieBase) {
        Set<String> names = new HashSet<>();
        for (KiePackage p : kieBase.getKiePackages()) {
            for (Global g : p.getGlobalVariables()) {
                names.add(g.getName());
            }
        }
        return names;
    }
}

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
 * clock. The usual loop per event is {@code advanceTo(e.time); insert(e); fireAllRules();}.
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
            if (startMillis < 0) {
                throw new IllegalArgumentException("start time must be >= 0: " + startMillis);
            }
            pseudoClock.advanceTime(startMillis - pseudoClock.getCurrentTime(), TimeUnit.MILLISECONDS);
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
        return clock.getCurrentTime();
    }

    /**
     * Moves the pseudo clock to {@code epochMillis}, running and firing every timer that comes
     * due on the way at its own due time (see the class comment). Moving to the current time is
     * a no-op; moving backwards throws. Live: only fires rules for timers that came due.
     *
     * @throws IllegalArgumentException in simulation when {@code epochMillis < now()}
     */
    public void advanceTo(long epochMillis) {
        if (pseudoClock == null) {
            session.fireAllRules();
            return;
        }
        long now = pseudoClock.getCurrentTime();
        if (epochMillis < now) {
            throw new IllegalArgumentException(
                    "clock cannot move backwards: now=" + now + ", requested=" + epochMillis);
        }
        int stepsAtInstant = 0;
        long lastStepAt = Long.MIN_VALUE;
        while (true) {
            long toNext = timers.getTimeToNextJob(); // -1 when no job; may be < -1 for an overdue job
            if (toNext == -1 || now + toNext > epochMillis) {
                break;
            }
            long step = Math.max(0, toNext);
            pseudoClock.advanceTime(step, TimeUnit.MILLISECONDS);
            now += step;
            session.fireAllRules();
            stepsAtInstant = now == lastStepAt ? stepsAtInstant + 1 : 0;
            lastStepAt = now;
            if (stepsAtInstant > MAX_STEPS_AT_ONE_INSTANT) {
                break;
            }
        }
        if (epochMillis > now) {
            pseudoClock.advanceTime(epochMillis - now, TimeUnit.MILLISECONDS);
        }
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

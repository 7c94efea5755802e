package charter.compiler.js;

import charter.compiler.builtins.TeamValue;
import charter.compiler.types.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JavaScript functions of one Program version and the contexts that run them:
 * a pool of idle contexts, one taken for each call and given back after it (a
 * context costs milliseconds, a call about a microsecond). A pool rather than one
 * context per thread, because a server calls from dozens of request threads: as
 * many contexts as calls run at once, most recently used first, so the few in use
 * stay warm. Reuse is safe because every context is locked down (see
 * {@link JsSandbox}): its objects are frozen, the function bodies run in strict
 * mode and each source is exactly one function expression (see {@link JsValidator}),
 * so a call cannot leave anything behind for the next. Each context has a platform
 * thread of its own ({@link JsWorker}) on which alone it runs: a context whose call
 * ran over a limit is cancelled and dropped, and one that does not stop is abandoned
 * with its thread, its function disabled for the life of this Program version.
 *
 * <p>Nothing here is shared with another Program version or another tenant: each
 * compilation makes its own {@code JsFunctions}, with its own contexts and threads.
 *
 * <p>Values cross the boundary without serialisation: strings, numbers and
 * booleans as they are, lists as JavaScript arrays, times and durations as
 * milliseconds.
 */
public final class JsFunctions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsFunctions.class);
    public static final JsFunctions NONE = new JsFunctions(List.of(), JsLimits.DEFAULT);

    private final List<JsFunction> functions;
    private final Map<String, JsFunction> byName;
    private final JsLimits limits;
    private final Deque<Runner> idle = new ConcurrentLinkedDeque<>();
    private final Set<Runner> all = ConcurrentHashMap.newKeySet();
    /** Functions with a call that did not stop when cancelled and still runs, and why: each is disabled meanwhile. */
    private final Map<String, String> abandoned = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /**
     * Results of earlier calls by function and arguments. Functions are pure (the lockdown takes
     * away the clock, randomness and any state between calls), so a call with the same arguments
     * has the same result; and a Program often asks one thing several times per event (acme's
     * `pr_risk` in `significance`, a rule's condition and its action text). Each call is a hand-off
     * to another thread and runs in GraalJS's interpreter, tens of times dearer than a lookup.
     * Only results are kept, never failures: a failing call fails again each time it is asked.
     */
    private final Cache<Call, Object> results = Caffeine.newBuilder().maximumSize(RESULTS).build();
    private static final int RESULTS = 10_000;

    private record Call(int function, List<Object> args) {}

    /** Calls that ran JavaScript (not answered from {@link #results}), for tests. */
    private final AtomicLong calls = new AtomicLong();

    /** Numbers this Program version's worker threads, for thread dumps. */
    private final AtomicLong workers = new AtomicLong();

    public JsFunctions(List<JsFunction> functions, JsLimits limits) {
        this.functions = List.copyOf(functions);
        Map<String, JsFunction> names = new java.util.LinkedHashMap<>();
        for (JsFunction f : functions) names.put(f.name(), f);
        this.byName = Map.copyOf(names);
        this.limits = limits;
    }

    public List<JsFunction> functions() {
        return functions;
    }

    public JsFunction byName(String name) {
        return byName.get(name);
    }

    /**
     * Calls a function with evaluated arguments (the language's runtime values). A
     * missing argument makes the result missing, as for built-ins, without a call.
     *
     * @throws JsFunctionException when the function throws, runs over a limit or returns the wrong type
     */
    public Object call(JsFunction fn, Object[] args) {
        for (Object a : args) if (a == null) return null;
        if (closed) throw new JsFunctionException("function " + fn.where() + " cannot run: its Program version was unloaded");
        String disabled = abandoned.get(fn.name());
        if (disabled != null) {
            throw new JsFunctionException("function " + fn.where() + " is disabled: an earlier call " + disabled
                    + " and has not stopped since it was cancelled");
        }
        Call call = new Call(fn.index(), List.of(args));
        Object known = results.getIfPresent(call);
        if (known != null) return known;
        Object value = run(fn, args);
        results.put(call, value);
        return value;
    }

    /** One call on a pooled context's thread, within the limits. */
    private Object run(JsFunction fn, Object[] args) {
        calls.incrementAndGet();
        Runner runner = idle.pollFirst();
        if (runner == null) {
            runner = new Runner();
            all.add(runner);
        }
        Runner r = runner;
        JsWorker.Outcome outcome;
        try {
            outcome = r.worker.call(context -> r.run(context, fn, args));
        } catch (RuntimeException | Error e) {
            discard(r);
            throw e;
        }
        switch (outcome) {
            case JsWorker.Outcome.Finished f -> {
                if (f.broken() || closed) discard(r);
                else idle.offerFirst(r);
                if (f.failure() instanceof JsFunctionException e) throw e;
                if (f.failure() != null) throw new JsFunctionException("function " + fn.where() + " failed: " + f.failure().getMessage());
                return f.value();
            }
            case JsWorker.Outcome.Stopped s -> {
                discard(r);
                throw new JsFunctionException("function " + fn.where() + " was stopped: it " + s.reason());
            }
            case JsWorker.Outcome.Abandoned a -> {
                all.remove(r);
                abandoned.put(fn.name(), a.reason());
                // Disabled while the abandoned call runs: each call that would not stop holds a core.
                a.ended().whenComplete((value, failure) -> abandoned.remove(fn.name(), a.reason()));
                LOG.error("function {} {} and did not stop when cancelled: its thread is abandoned and the function disabled "
                        + "while that call runs", fn.where(), a.reason());
                throw new JsFunctionException("function " + fn.where() + " was stopped: it " + a.reason()
                        + " and did not stop when cancelled; it is disabled while that call runs");
            }
        }
    }

    private void discard(Runner runner) {
        all.remove(runner);
        runner.worker.stop();
    }

    /** Calls that ran JavaScript so far (for tests). */
    long callsRun() {
        return calls.get();
    }

    /** Contexts made so far and not dropped: at most as many as calls ever ran at once. */
    int contexts() {
        return all.size();
    }

    /** Calls that did not stop when cancelled, by function name (for tests). */
    Map<String, String> abandoned() {
        return Map.copyOf(abandoned);
    }

    /** The threads of the contexts made so far and not dropped (for tests). */
    List<Thread> threads() {
        return all.stream().map(r -> r.worker.thread()).toList();
    }

    /** Users of this Program version besides the engine running it, and whether it was retired: see {@link #hold()}. */
    private int holds;
    private boolean retired;

    /**
     * Keeps these functions open while the caller uses them away from the engine that runs them (a
     * simulation on the live Program): a {@link #retire()} meanwhile closes them when the last hold
     * is let go. Close the hold when done.
     */
    public synchronized Hold hold() {
        holds++;
        return new Hold();
    }

    /**
     * Closes these functions (their threads and contexts) once nothing holds them: now, or when the
     * last {@link #hold()} is let go. For a Program version that was swapped out.
     */
    public synchronized void retire() {
        if (this == NONE) return;   // shared by every Program without functions
        retired = true;
        if (holds == 0) close();
    }

    private synchronized void letGo() {
        if (--holds == 0 && retired) close();
    }

    /** A hold on a Program version's functions; closing it twice lets go once. */
    public final class Hold implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);

        private Hold() {}

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) letGo();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Runner r : all) discard(r);
        idle.clear();
    }

    /**
     * One context on its own thread, with the functions it has defined so far; used by one
     * call at a time. Everything that touches the context runs on the worker's thread.
     */
    private final class Runner {
        final JsWorker worker = new JsWorker(limits, "charter-js-" + workers.incrementAndGet());
        final Value[] defined = new Value[functions.size()];
        Value toArray;
        Value freeze;

        JsWorker.Outcome.Finished run(JsSandbox.Locked locked, JsFunction fn, Object[] args) {
            Context context = locked.context();
            try {
                context.resetLimits();
                if (freeze == null) {
                    toArray = locked.toArray();
                    freeze = context.eval("js", "'use strict'; (function freeze(f) { Object.freeze(f.prototype); return Object.freeze(f); })");
                }
                Value f = defined[fn.index()];
                if (f == null) {
                    f = freeze.execute(context.eval(fn.source()));
                    defined[fn.index()] = f;
                }
                Object[] values = new Object[args.length];
                for (int i = 0; i < args.length; i++) values[i] = toGuest(args[i], fn.params().get(i));
                Value result = f.execute(values);
                return new JsWorker.Outcome.Finished(fromGuest(fn, result), null, false);
            } catch (PolyglotException e) {
                boolean broken = e.isCancelled() || e.isResourceExhausted() || e.isInternalError() || e.isExit();
                return new JsWorker.Outcome.Finished(null, failure(fn, e), broken);
            } catch (JsFunctionException e) {
                return new JsWorker.Outcome.Finished(null, e, false);
            } catch (IllegalStateException e) {
                // the context was closed under the call (cancelled)
                return new JsWorker.Outcome.Finished(null, new JsFunctionException("function " + fn.where() + " was stopped: " + e.getMessage()), true);
            }
        }

        private Object toGuest(Object value, Type type) {
            return switch (value) {
                case String s -> s;
                case Double d -> d;
                case Boolean b -> b;
                case Instant t -> (double) t.toEpochMilli();
                case Duration d -> (double) d.toMillis();
                case TeamValue t -> t.id();
                case List<?> l -> toArray.execute(ProxyArray.fromArray(l.stream().map(v -> v == null ? null : toGuest(v, type)).toArray()));
                case Number n -> n.doubleValue();
                default -> value.toString();
            };
        }

        private JsFunctionException failure(JsFunction fn, PolyglotException e) {
            String reason;
            if (e.isResourceExhausted() && e.getMessage() != null && e.getMessage().startsWith("Statement count limit")) {
                reason = "was stopped: it ran more than " + limits.statements() + " statements";
            } else if (e.isResourceExhausted()) {
                reason = "was stopped: it ran out of resources (" + e.getMessage() + ")";
            } else if (e.isCancelled()) {
                reason = "was stopped: " + e.getMessage();
            } else if (e.isInternalError()) {
                reason = "failed inside the JavaScript engine: " + e.getMessage();
            } else {
                reason = "threw " + e.getMessage();
            }
            return new JsFunctionException("function " + fn.where() + " " + reason + location(fn, e));
        }

        private String location(JsFunction fn, PolyglotException e) {
            SourceSection at = e.getSourceLocation();
            if (!inFunction(fn, at)) {
                at = null;
                for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                    if (frame.isGuestFrame() && inFunction(fn, frame.getSourceLocation())) {
                        at = frame.getSourceLocation();
                        break;
                    }
                }
            }
            return at == null ? "" : " at " + fn.bodySpan().file() + ":" + fn.programLine(at.getStartLine());
        }

        private static boolean inFunction(JsFunction fn, SourceSection at) {
            return at != null && at.getSource() != null && at.hasLines() && at.getSource().getName().equals(fn.source().getName());
        }
    }

    private static Object fromGuest(JsFunction fn, Value v) {
        Type type = fn.result();
        Object out = null;
        if (type == Type.NUMBER || type == Type.TIME || type == Type.DURATION) {
            if (v.isNumber()) {
                double d = v.asDouble();
                if (Double.isFinite(d)) {
                    out = type == Type.NUMBER ? (Object) d
                            : type == Type.TIME ? Instant.ofEpochMilli((long) d) : Duration.ofMillis((long) d);
                }
            }
        } else if (type == Type.STRING || type == Type.PERSON) {
            if (v.isString()) out = v.asString();
        } else if (type == Type.TEAM) {
            if (v.isString()) out = new TeamValue(v.asString());
        } else if (type == Type.BOOL) {
            if (v.isBoolean()) out = v.asBoolean();
        } else if (type instanceof Type.ListOf) {
            if (v.hasArrayElements() && v.getArraySize() <= 10_000) {
                List<Object> items = new ArrayList<>((int) v.getArraySize());
                for (long i = 0; i < v.getArraySize() && items != null; i++) {
                    Value item = v.getArrayElement(i);
                    if (item.isString()) items.add(item.asString());
                    else items = null;
                }
                out = items == null ? null : List.copyOf(items);
            }
        }
        if (out == null) {
            throw new JsFunctionException("function " + fn.where() + " returned " + describe(v) + " where its declared result is "
                    + fn.result().display());
        }
        return out;
    }

    private static String describe(Value v) {
        if (v.isNull()) return v.toString(); // undefined or null
        if (v.isNumber()) return "the number " + v;
        if (v.isString()) return "a string";
        if (v.isBoolean()) return "a boolean";
        if (v.hasArrayElements()) return "an array";
        return "an object";
    }
}

package charter.compiler.js;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one GraalJS {@link Engine} of the process and the sandboxed contexts made
 * from it. Every context is built under {@link SandboxPolicy#CONSTRAINED} (GraalVM
 * validates the settings), with no host access, no polyglot access, no I/O, no
 * environment, no threads, no process creation, stdout/stderr discarded, UTC as
 * time zone and a statement limit; then {@code lockdown.js} removes the clock and
 * randomness and freezes every reachable object.
 *
 * <p>The engine holds code only (parsed sources), never a value of a call: every
 * context is owned by one {@link JsWorker}, and the caller of each call enforces its
 * time and allocation limits (see {@link JsWorker#call}).
 */
public final class JsSandbox {
    private JsSandbox() {}

    private static final OutputStream DISCARD = OutputStream.nullOutputStream();

    /** Lazily: the first context costs about a second, and Programs without functions never pay it. */
    private static final class Holder {
        static final Engine ENGINE = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(DISCARD).err(DISCARD)
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        static final Source LOCKDOWN = lockdownSource();
    }

    static Engine engine() {
        return Holder.ENGINE;
    }

    /**
     * A locked-down context and the helpers the lockdown hands to Charter (built from the real
     * built-ins before they were guarded; no function's code can reach them).
     */
    record Locked(Context context, Value toArray) {}

    /** A new locked-down context; the caller owns it and must close it. */
    static Locked newContext(JsLimits limits) {
        Context context = Context.newBuilder("js")
                .engine(Holder.ENGINE)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowHostClassLoading(false)
                .out(DISCARD).err(DISCARD).in(InputStream.nullInputStream())
                .timeZone(ZoneOffset.UTC)
                .option("js.strict", "true")
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.console", "false")
                .option("js.graal-builtin", "false")
                .option("js.performance", "false")
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build())
                .build();
        try {
            Value trusted = context.eval(Holder.LOCKDOWN).execute((double) limits.allocatedBytes());
            context.resetLimits();
            return new Locked(context, trusted.getMember("toArray"));
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** A context for parsing only (no Program code runs in it, so no lockdown); the caller closes it. */
    static Context newParserContext() {
        return Context.newBuilder("js")
                .engine(Holder.ENGINE)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(IOAccess.NONE)
                .out(DISCARD).err(DISCARD).in(InputStream.nullInputStream())
                .option("js.strict", "true")
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(1_000, null).build())
                .build();
    }

    private static Source lockdownSource() {
        try (InputStream in = JsSandbox.class.getResourceAsStream("lockdown.js")) {
            if (in == null) throw new IllegalStateException("lockdown.js is missing from the compiler jar");
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "charter-lockdown.js").build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes a context that may have been cancelled already; closing a cancelled context rethrows. */
    static void closeQuietly(Context context) {
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // cancelled or already closed
        }
    }
}

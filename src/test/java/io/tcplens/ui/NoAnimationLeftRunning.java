package io.tcplens.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Every test class (registered for all of them: junit-platform.properties turns on extension autodetection,
 * META-INF/services names this class) leaves no JavaFX animation running that was not running before it: a
 * {@code Timeline}, transition or {@code AnimationTimer} left running by one test's window makes the shared
 * toolkit pulse 60 times a second for every test after it, and round 23's {@code AlertNoticesTest} counted those
 * pulses (CI found two animations left: the diagram's timer in a window-less scene and a closed window's caret).
 * Waits up to 10 s (a loaded CI machine) for transitions to end, then fails the class naming what runs ({@link RunningAnimations}).
 * Classes that never start JavaFX are not looked at, nor classes that run beside others
 * ({@code @Execution(CONCURRENT)}; they never touch JavaFX, and what runs then is the other class's).
 */
public final class NoAnimationLeftRunning implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoAnimationLeftRunning.class);

    @Override
    public void beforeAll(ExtensionContext ctx) {
        if (besideOthers(ctx)) return;
        List<String> before = FxTestSupport.started() ? FxTestSupport.onFx(RunningAnimations::describe) : List.of();
        ctx.getStore(NS).put("before", before);
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws InterruptedException {
        if (!FxTestSupport.started() || besideOthers(ctx)) return;
        @SuppressWarnings("unchecked")
        List<String> before = ctx.getStore(NS).get("before", List.class);
        long t0 = System.nanoTime();
        List<String> added;
        do {
            added = new ArrayList<>(FxTestSupport.onFx(RunningAnimations::describe));
            for (String b : before == null ? List.<String>of() : before) added.remove(b);
            if (added.isEmpty()) return;
            Thread.sleep(100);
        } while (System.nanoTime() - t0 < 10_000_000_000L);
        fail(ctx.getRequiredTestClass().getSimpleName() + " left " + added.size() + " JavaFX animation(s) running: " + added);
    }

    private static boolean besideOthers(ExtensionContext ctx) {
        return ctx.getExecutionMode() == ExecutionMode.CONCURRENT;
    }
}

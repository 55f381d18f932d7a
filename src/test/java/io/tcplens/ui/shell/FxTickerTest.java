package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.ui.FxTestSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import org.junit.jupiter.api.Test;

/** The FX-thread ticker that replaced the window's Timelines (issue 11): ticks on the FX thread, none after stop. */
class FxTickerTest {
    @Test
    void ticksOnTheFxThreadAndNotAfterStop() {
        FxTestSupport.start();
        AtomicBoolean offFx = new AtomicBoolean();
        FxTicker ticker = new FxTicker(10, () -> offFx.compareAndSet(false, !Platform.isFxApplicationThread()));
        ticker.start();
        ticker.start(); // twice: still one schedule
        FxTestSupport.waitUntil(() -> ticker.ticks() >= 3, 60_000, "three ticks");
        assertFalse(offFx.get(), "every tick on the FX thread");
        FxTestSupport.onFx(ticker::stop);
        assertFalse(ticker.isRunning());
        long stopped = FxTestSupport.onFx(ticker::ticks);
        // another ticker's five ticks later the stopped one has not ticked again
        FxTicker other = new FxTicker(10, () -> {});
        other.start();
        FxTestSupport.waitUntil(() -> other.ticks() >= 5, 60_000, "five ticks of another ticker");
        other.stop();
        assertEquals(stopped, (long) FxTestSupport.onFx(ticker::ticks), "no tick after stop");
        // and it starts again
        ticker.start();
        assertTrue(ticker.isRunning());
        FxTestSupport.waitUntil(() -> ticker.ticks() > stopped, 60_000, "ticking again after start");
        ticker.stop();
    }
}

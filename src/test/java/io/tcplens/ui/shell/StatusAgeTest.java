package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.ui.FxTestSupport;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the window's age ticker asks twice a second, and each change of a shown text pulses a full
 * layout and render: the status bar's age is in whole seconds, rounded down (never younger than the data
 * is), so it changes at most once a second ({@code IdleWindowPulsesTest} checks the text in the window).
 * The stale banner keeps its tenths: it says the data is older than twice the interval, which for a
 * refresh under a second only tenths show.
 */
class StatusAgeTest {
    private static final ResourceBundle B = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.ENGLISH);

    @Test
    void wholeSecondsRoundDown() {
        assertEquals("0", StatusBar.wholeSeconds(0));
        assertEquals("0", StatusBar.wholeSeconds(999));
        assertEquals("1", StatusBar.wholeSeconds(1_000));
        assertEquals("59", StatusBar.wholeSeconds(59_999));
        assertEquals("0", StatusBar.wholeSeconds(-5), "a clock step back shows no negative age");
    }

    @Test
    void theStaleBannerSaysHowMuchOlderThanTwiceASubSecondInterval() {
        FxTestSupport.start();
        FxTestSupport.onFx(() -> {
            StaleBanner banner = new StaleBanner(B);
            banner.update(900, 0, 500, null, null);
            assertFalse(banner.staleShown(), "0.9 s old at a 500 ms interval: not stale");
            banner.update(1_200, 0, 500, null, null);
            assertTrue(banner.staleShown(), "1.2 s old at a 500 ms interval: stale");
            assertTrue(banner.staleText().startsWith("Data is 1.2 s old"), banner.staleText());
        });
    }
}

package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.ui.FxTestSupport;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the window's age ticker asks twice a second, and each change of a shown text pulses a full
 * layout and render. The stale banner's age is in whole seconds (rounded down, never younger than the
 * data is), so two ticks within one second leave its text as it was; it still says the data is stale
 * exactly when it is (older than twice the interval), and moves on with each second.
 */
class StaleBannerWholeSecondsTest {
    private static final ResourceBundle B = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.ENGLISH);

    @Test
    void staleAgeChangesOnlyWithItsWholeSecond() {
        FxTestSupport.start();
        FxTestSupport.onFx(() -> {
            StaleBanner banner = new StaleBanner(B);
            banner.update(1_900, 0, 1_000, null, null);
            assertFalse(banner.staleShown(), "1.9 s old at a 1 s interval: not stale");
            banner.update(2_100, 0, 1_000, null, null);
            assertTrue(banner.staleShown(), "2.1 s old at a 1 s interval: stale");
            String at2100 = banner.staleText();
            assertTrue(at2100.startsWith("Data is 2 s old"), at2100);
            banner.update(2_600, 0, 1_000, null, null);
            assertEquals(at2100, banner.staleText(), "two ticks in the same second: the same text");
            banner.update(3_050, 0, 1_000, null, null);
            assertNotEquals(at2100, banner.staleText());
            assertTrue(banner.staleText().startsWith("Data is 3 s old"), banner.staleText());
            // no data yet: the first poll's wait, in whole seconds too
            banner.update(-1, 4_200, 1_000, null, null);
            String waiting = banner.staleText();
            banner.update(-1, 4_700, 1_000, null, null);
            assertEquals(waiting, banner.staleText());
            assertTrue(waiting.contains(" 4 s"), waiting);
        });
    }

    @Test
    void wholeSecondsRoundDown() {
        assertEquals("0", StatusBar.wholeSeconds(0));
        assertEquals("0", StatusBar.wholeSeconds(999));
        assertEquals("1", StatusBar.wholeSeconds(1_000));
        assertEquals("59", StatusBar.wholeSeconds(59_999));
        assertEquals("0", StatusBar.wholeSeconds(-5), "a clock step back shows no negative age");
    }
}

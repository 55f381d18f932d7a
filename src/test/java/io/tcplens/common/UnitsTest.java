package io.tcplens.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one formatter the window, the command line and the advisor share (the table and the diagram used copies). */
class UnitsTest {
    @Test
    void durationsFromSecondsToDays() {
        long[] ms = {-5, 45_000, 252_000, 240_000, 7_380_000, (3 * 86_400 + 4 * 3600) * 1000L, 2 * 86_400_000L};
        String[] long_ = {"0 s", "45 s", "4 min 12 s", "4 min", "2 h 3 min", "3 d 4 h", "2 d"};
        String[] short_ = {"0s", "45s", "4m 12s", "4m", "2h 3m", "3d 4h", "2d"};
        for (int i = 0; i < ms.length; i++) {
            assertEquals(long_[i], Units.duration(ms[i]));
            assertEquals(short_[i], Units.shortDuration(ms[i]), "the table cell's short form");
        }
    }

    @Test
    void ratesAndSecondsAndCounts() {
        assertEquals("1,234/s", Units.rate(1234.4));
        assertEquals("2.5/s", Units.rate(2.5));
        assertEquals("59.5 s", Units.seconds(59_500));
        assertEquals("28,232", Units.count(28_232));
    }
}

package io.tcplens.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one formatter the window, the command line and the advisor share (the table and the diagram used copies). */
class UnitsTest {
    @Test
    void durationsFromSecondsToDays() {
        assertEquals("0 s", Units.duration(-5));
        assertEquals("45 s", Units.duration(45_000));
        assertEquals("4 min 12 s", Units.duration(252_000));
        assertEquals("4 min", Units.duration(240_000));
        assertEquals("2 h 3 min", Units.duration(7_380_000));
        assertEquals("3 d 4 h", Units.duration((3 * 86_400 + 4 * 3600) * 1000L));
        assertEquals("2 d", Units.duration(2 * 86_400_000L));
        assertEquals("0s", Units.shortDuration(-5));
        assertEquals("45s", Units.shortDuration(45_000));
        assertEquals("4m 12s", Units.shortDuration(252_000));
        assertEquals("4m", Units.shortDuration(240_000));
        assertEquals("2h 3m", Units.shortDuration(7_380_000));
        assertEquals("3d 4h", Units.shortDuration((3 * 86_400 + 4 * 3600) * 1000L));
    }

    @Test
    void ratesAndSecondsAndCounts() {
        assertEquals("1,234/s", Units.rate(1234.4));
        assertEquals("2.5/s", Units.rate(2.5));
        assertEquals("59.5 s", Units.seconds(59_500));
        assertEquals("28,232", Units.count(28_232));
    }
}

package io.tcplens.analysis.ports;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExhaustionForecastTest {
    @Test
    void linuxDefaultSustainableRate() {
        ExhaustionForecast f = ExhaustionForecast.compute(28_232, 0, new long[0], 100, 60_000);
        assertEquals(28_232 / 60.0, f.maxSustainableRate(), 1e-9);
        assertEquals(6_000, f.steadyState(), 1e-9);
        assertNull(f.secondsToExhaustion(), "100/s settles at 6,000 of 28,232: never runs out");
    }

    @Test
    void emptyBucketAboveSustainableRate() {
        // 1000 ports, 50/s, 60 s: steady state 3000 > 1000; no existing sockets: out after 1000/50 = 20 s
        ExhaustionForecast f = ExhaustionForecast.compute(1000, 0, new long[0], 50, 60_000);
        assertEquals(20.0, f.secondsToExhaustion(), 1e-9);
        assertFalse(f.exhaustedNow());
    }

    @Test
    void existingTimeWaitsExpireWhileNewOnesArrive() {
        // 100 ports, 10 held by ESTABLISHED, 80 TIME_WAIT all expiring at 5 s, rate 4/s:
        // before 5 s: 90 + 4t = 100 at t = 2.5 s
        long[] rem = new long[80];
        Arrays.fill(rem, 5_000);
        assertEquals(2.5, ExhaustionForecast.compute(100, 10, rem, 4, 60_000).secondsToExhaustion(), 1e-9);
        // rate 1/s: before 5 s reaches 95; then 10 + t: 100 at t = 90 > 60 s → steady state 70: never
        assertNull(ExhaustionForecast.compute(100, 10, rem, 1, 60_000).secondsToExhaustion());
        // rate 2/s: before 5 s: 90+2t<100; after: 10 + 2t = 100 at t = 45 s (< 60)
        assertEquals(45.0, ExhaustionForecast.compute(100, 10, rem, 2, 60_000).secondsToExhaustion(), 1e-9);
    }

    @Test
    void fullBucketIsExhaustedNowEvenWithoutRate() {
        long[] rem = new long[50];
        Arrays.fill(rem, 30_000);
        ExhaustionForecast f = ExhaustionForecast.compute(50, 0, rem, 0, 60_000);
        assertTrue(f.exhaustedNow());
        assertEquals(50, f.inUseNow());
    }

    @Test
    void steadyStateExactlyAtCapacityRunsOutAtDuration() {
        ExhaustionForecast f = ExhaustionForecast.compute(600, 0, new long[0], 10, 60_000);
        assertEquals(60.0, f.secondsToExhaustion(), 1e-9);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ExhaustionForecast.compute(0, 0, new long[0], 1, 60_000));
        assertThrows(IllegalArgumentException.class, () -> ExhaustionForecast.compute(10, 0, new long[0], 1, 0));
    }
}

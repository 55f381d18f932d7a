package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link KernelTcpState#fromCode} answers every code as before, from answers made once (no allocation per socket or event). */
class KernelTcpStateCodeTest {
    @Test
    void everyCodeIsAnsweredOnceMadeAndRight() {
        for (int code = -2; code <= 17; code++) {
            Optional<KernelTcpState> a = KernelTcpState.fromCode(code);
            KernelTcpState expected = null;
            for (KernelTcpState s : KernelTcpState.values()) if (s.code() == code) expected = s;
            assertEquals(Optional.ofNullable(expected), a, "code " + code);
            if (expected != null) assertSame(a, KernelTcpState.fromCode(code), "code " + code + ": the same answer each time");
        }
        assertTrue(KernelTcpState.fromCode(0).isEmpty(), "no state has code 0");
        assertSame(KernelTcpState.ESTABLISHED, KernelTcpState.fromCode(1).orElseThrow());
    }
}

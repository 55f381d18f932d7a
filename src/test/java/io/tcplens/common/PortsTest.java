package io.tcplens.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortsTest {
    @Test
    void portsAreZeroTo65535AndUsablePortsStartAtOne() {
        assertTrue(Ports.isPort(0));
        assertTrue(Ports.isPort(65535));
        assertFalse(Ports.isPort(-1));
        assertFalse(Ports.isPort(65536));
        assertFalse(Ports.isUsablePort(0));
        assertTrue(Ports.isUsablePort(1));
        assertFalse(Ports.isUsablePort(65536));
    }

    @Test
    void aRangeIsTwoUsablePortsInOrder() {
        assertTrue(Ports.isRange(32768, 60999));
        assertTrue(Ports.isRange(5, 5));
        assertFalse(Ports.isRange(0, 10));
        assertFalse(Ports.isRange(10, 9));
        assertFalse(Ports.isRange(1024, 65536));
    }
}

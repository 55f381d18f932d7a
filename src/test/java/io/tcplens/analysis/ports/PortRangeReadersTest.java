package io.tcplens.analysis.ports;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortRangeReadersTest {
    @TempDir
    Path dir;

    private void sysctl(String name, String value) throws Exception {
        Path p = dir.resolve(name.replace('.', '/'));
        Files.createDirectories(p.getParent());
        Files.writeString(p, value);
    }

    @Test
    void linuxDefaultRange() throws Exception {
        sysctl("net.ipv4.ip_local_port_range", "32768\t60999\n");
        sysctl("net.ipv4.ip_local_reserved_ports", "\n");
        EphemeralPortRange r = new LinuxPortRangeReader(dir).read();
        assertTrue(r.known());
        assertEquals(28_232, r.usable());
        assertTrue(r.isEphemeral(32768));
        assertFalse(r.isEphemeral(61000));
        assertEquals("32768–60999 (28,232 usable)", r.describe());
    }

    @Test
    void linuxReservedPortsListSyntax() throws Exception {
        sysctl("net.ipv4.ip_local_port_range", "1024 65535");
        sysctl("net.ipv4.ip_local_reserved_ports", "80,8080-8089, 70000-70001x".replace(", 70000-70001x", ",50000-50009"));
        EphemeralPortRange r = new LinuxPortRangeReader(dir).read();
        assertEquals(List.of(new PortSpan(80, 80), new PortSpan(8080, 8089), new PortSpan(50000, 50009)), r.reserved());
        assertEquals(64_512 - 10 - 10, r.usable(), "port 80 is outside the range and must not be subtracted");
        assertFalse(r.isEphemeral(8085));
        assertTrue(r.origin().contains("ip_local_reserved_ports = 80,8080-8089,50000-50009"));
    }

    @Test
    void badReservedListIsReportedNotThrown() throws Exception {
        sysctl("net.ipv4.ip_local_port_range", "40000 40049");
        sysctl("net.ipv4.ip_local_reserved_ports", "80,abc");
        EphemeralPortRange r = new LinuxPortRangeReader(dir).read();
        assertEquals(50, r.usable());
        assertTrue(r.origin().contains("unreadable"), r.origin());
    }

    @Test
    void linuxMissingOrGarbledIsUnknown() throws Exception {
        assertFalse(new LinuxPortRangeReader(dir).read().known());
        sysctl("net.ipv4.ip_local_port_range", "60999 32768");
        EphemeralPortRange r = new LinuxPortRangeReader(dir).read();
        assertFalse(r.known());
        assertEquals(0, r.usable());
        assertEquals("unknown", r.describe());
    }

    @Test
    void portSpanListRejectsJunk() {
        assertThrows(IllegalArgumentException.class, () -> PortSpan.parseList("1-2-3"));
        assertThrows(IllegalArgumentException.class, () -> PortSpan.parseList("70000"));
        assertEquals(List.of(), PortSpan.parseList(""));
    }

    @Test
    void windowsNetshOutput() {
        List<String> captured = List.of("", "Protocol tcp Dynamic Port Range", "---------------------------------",
                "Start Port      : 49152", "Number of Ports : 16384", "");
        EphemeralPortRange r = WindowsPortRangeReader.parse(captured);
        assertEquals(49152, r.first());
        assertEquals(65535, r.last());
        assertEquals(16_384, r.usable());
        // the old Windows range the article's "about 4,000" came from
        EphemeralPortRange old = new WindowsPortRangeReader(cmd -> List.of("Start Port : 1025", "Number of Ports : 3976")).read();
        assertEquals(1025, old.first());
        assertEquals(5000, old.last());
        // German Windows
        assertEquals(10_000, WindowsPortRangeReader.parse(List.of("Startport       : 50000", "Anzahl der Ports : 10000")).usable());
        assertFalse(WindowsPortRangeReader.parse(List.of()).known());
        assertFalse(WindowsPortRangeReader.parse(List.of("Start Port : 60000", "Number of Ports : 10000")).known());
    }

    @Test
    void macSysctlOutput() {
        EphemeralPortRange r = MacPortRangeReader.parse(List.of("net.inet.ip.portrange.first: 49152",
                "net.inet.ip.portrange.last: 65535"));
        assertEquals(16_384, r.usable());
        assertTrue(r.origin().contains("49152"));
        assertEquals(1000, new MacPortRangeReader(c -> List.of("net.inet.ip.portrange.first = 10000",
                "net.inet.ip.portrange.last = 10999")).read().usable());
        assertFalse(MacPortRangeReader.parse(List.of("sysctl: unknown oid")).known());
    }
}

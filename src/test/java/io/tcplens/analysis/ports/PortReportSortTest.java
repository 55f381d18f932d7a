package io.tcplens.analysis.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcplens.model.Addresses;
import io.tcplens.model.Endpoint;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The port report sorts its rows with their keys read once (IPv4 destinations compared as numbers): the
 * order must be {@link PortUsageAnalyzer#ORDER}'s exactly, whatever the mix of IPv4 and IPv6 addresses,
 * interfaces, ports with the sign bit of a short, addresses above 128.0.0.0 and ties on every other key.
 */
class PortReportSortTest {
    private static InetAddress v4(Random rnd) {
        // few distinct values, so that ties reach the later keys; some above 128.x (unsigned order)
        return Addresses.fromBytes(new byte[] {(byte) (rnd.nextBoolean() ? 10 : 200), 0, (byte) rnd.nextInt(3), (byte) (rnd.nextInt(3) * 127)});
    }

    private static InetAddress v6(Random rnd) {
        byte[] b = new byte[16];
        b[0] = (byte) (rnd.nextBoolean() ? 0x20 : 0xfe);
        b[15] = (byte) rnd.nextInt(3);
        return Addresses.fromBytes(b);
    }

    private static InetAddress any(Random rnd) {
        return rnd.nextInt(4) == 0 ? v6(rnd) : v4(rnd);
    }

    @Test
    void keyedSortEqualsTheComparatorsOrder() {
        Random rnd = new Random(5);
        for (int round = 0; round < 40; round++) {
            List<DestinationUsage> rows = new ArrayList<>();
            int n = 1 + rnd.nextInt(3_000);
            for (int i = 0; i < n; i++) {
                InetAddress local = round % 4 == 0 ? v4(rnd) : any(rnd);
                InetAddress remote = round % 4 == 0 ? v4(rnd) : any(rnd);
                int port = new int[] {80, 443, 32_767, 32_768, 65_535, 1}[rnd.nextInt(6)];
                int ifIndex = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(2) : 0;
                Destination d = new Destination(local, new Endpoint(remote, port, ifIndex, ifIndex == 0 ? null : "eth" + ifIndex));
                int inUse = rnd.nextInt(3);
                double rate = new double[] {0, 0.5, 2, -0.0, Double.NaN}[rnd.nextInt(5)];
                DestinationUsage.Level level = DestinationUsage.Level.values()[rnd.nextInt(3)];
                rows.add(new DestinationUsage(d, inUse, 0, Map.of(TcpState.ESTABLISHED, Math.max(1, inUse)), 100, rate, rate * 60,
                        null, level, null));
            }
            Collections.shuffle(rows, rnd);
            List<DestinationUsage> expected = new ArrayList<>(rows);
            expected.sort(PortUsageAnalyzer.ORDER);
            List<DestinationUsage> got = new ArrayList<>(rows);
            PortUsageAnalyzer.sort(got);
            for (int i = 0; i < expected.size(); i++)
                assertEquals(expected.get(i), got.get(i), "round " + round + ", row " + i + " of " + expected.size());
        }
    }
}

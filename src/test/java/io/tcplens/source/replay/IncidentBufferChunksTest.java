package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident buffer holds each segment's compressed bytes in chunks: what is written is read back
 * whole and in order, whatever the sizes of the writes; and a buffer whose segments span several chunks
 * saves a recording that replays every poll.
 */
class IncidentBufferChunksTest {
    @Test
    void chunksGiveBackWhatWasWritten() throws Exception {
        Random rnd = new Random(11);
        byte[] data = new byte[IncidentBuffer.Chunks.CHUNK * 3 + 12_345];
        rnd.nextBytes(data);
        IncidentBuffer.Chunks c = new IncidentBuffer.Chunks();
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, rnd.nextInt(3) == 0 ? 1 : rnd.nextInt(70_000));
            if (n == 1) c.write(data[at]);
            else c.write(data, at, n);
            at += n;
        }
        c.trim();
        assertEquals(data.length, c.size());
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (var in = c.open()) {
            in.transferTo(back);
        }
        assertArrayEquals(data, back.toByteArray());
    }

    @Test
    void savedSegmentsOfSeveralChunksReplayEveryPoll(@TempDir Path dir) throws Exception {
        SourceInfo src = new SourceInfo(SourceInfo.Kind.SIMULATED, "t", "test");
        IncidentBuffer b = new IncidentBuffer(3_600_000, 64L << 20, 5);
        Random rnd = new Random(3);
        long t = 1_700_000_000_000L;
        int polls = 12;
        List<Integer> sizes = new ArrayList<>();
        for (int p = 0; p < polls; p++, t += 1000) {
            List<SocketEntry> rows = new ArrayList<>();
            int n = 12_000 + p * 100; // random queues: a full table of these is over a chunk compressed
            for (int i = 0; i < n; i++) {
                ConnectionKey k = new ConnectionKey(new Endpoint(InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}), 40_000 + (i % 20_000)),
                        new Endpoint(InetAddress.getByAddress(new byte[] {10, 2, 0, 1}), 443));
                rows.add(new SocketEntry(k, TcpState.ESTABLISHED, null, rnd.nextInt(1 << 20), rnd.nextInt(1 << 20), null, null, 0, 1000, 1 + i, null, null, false));
            }
            sizes.add(n);
            b.append(new Snapshot(t, rows, src, List.of()));
        }
        Path file = dir.resolve("incident.tcplens");
        assertEquals(polls, b.save(file, Long.MIN_VALUE, TimeWaitDuration.LINUX, false));
        Recording r = RecordingReader.read(file);
        assertEquals(polls, r.size());
        for (int p = 0; p < polls; p++) assertEquals((int) sizes.get(p), r.snapshot(p).sockets().size(), "poll " + p);
    }
}

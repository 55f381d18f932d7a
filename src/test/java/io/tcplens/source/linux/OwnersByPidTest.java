package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The owner resolver keeps no owner per row between attaches, only each row's pid: a row seen again takes
 * the owner of that pid as the processes are known now, which is the one the last attach gave it unless
 * something touched the row's inode since (a scan, a dead owner) or another caller's refresh changed the
 * map in between. These check that rows seen again keep their owned row, that the rows of an exited or
 * renamed process change and no other's, and that a refresh in between is not missed.
 */
class OwnersByPidTest {
    private static ConnectionKey key(int port) {
        try {
            return new ConnectionKey(new Endpoint(InetAddress.getByName("127.0.0.1"), port),
                    new Endpoint(InetAddress.getByName("127.0.0.1"), 9_000));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<SocketEntry> rows(int count) {
        List<SocketEntry> out = new ArrayList<>();
        for (int i = 0; i < count; i++)
            out.add(new SocketEntry(key(40_000 + i), TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, 1_000 + i, null, null, false));
        return out;
    }

    @Test
    void rowsSeenAgainKeepTheirOwnersAndOnlyAnExitedOrRenamedProcessesRowsChange() {
        ExecRenamedOwnerTest.Lister lister = new ExecRenamedOwnerTest.Lister();
        // rows 0-9 held by 100, 10-19 by 200, 20-29 by 300, 30-39 by nobody known
        lister.process(100, "alpha", 13, range(1_000, 10));
        lister.process(200, "beta", 13, range(1_010, 10));
        lister.process(300, "gamma", 13, range(1_020, 10));
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        List<SocketEntry> table = rows(40);
        ProcessResolver.Attached first = r.attach(table, 1_000);
        assertEquals(10, first.unowned());
        ProcessResolver.Attached second = r.attach(new ArrayList<>(table), 2_000); // the same row objects again
        assertEquals(10, second.unowned());
        for (int i = 0; i < 40; i++) assertSame(first.rows().get(i), second.rows().get(i), "row " + i + " as it was");

        lister.exit(200); // beta exits
        lister.process(300, "delta", 14, range(1_020, 10)); // gamma exec'd delta (a close-on-exec fd went)
        ProcessResolver.Attached third = r.attach(new ArrayList<>(table), 2_000 + 60_000); // a timed light scan
        assertEquals(20, third.unowned());
        for (int i = 0; i < 40; i++) {
            SocketEntry e = third.rows().get(i);
            if (i < 10) {
                assertSame(first.rows().get(i), e, "alpha's rows untouched");
            } else if (i < 20) {
                assertNull(e.pid(), "beta exited: row " + i);
            } else if (i < 30) {
                assertEquals(300, e.pid());
                assertEquals("delta", e.process(), "renamed: row " + i);
            } else {
                assertNull(e.pid());
            }
        }
        ProcessResolver.Attached fourth = r.attach(new ArrayList<>(table), 62_500);
        assertEquals(20, fourth.unowned());
        for (int i = 0; i < 40; i++) assertSame(third.rows().get(i), fourth.rows().get(i), "row " + i + " as the last attach gave it");
    }

    @Test
    void aRefreshByAnotherCallerBetweenTwoAttachesIsNotMissed() {
        ExecRenamedOwnerTest.Lister lister = new ExecRenamedOwnerTest.Lister();
        lister.process(100, "bash", 5, range(1_000, 4));
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        List<SocketEntry> table = rows(4);
        assertEquals("bash", r.attach(table, 1_000).rows().get(0).process());

        lister.process(100, "java", 4, range(1_000, 4)); // exec'd: one fd fewer, the sockets kept
        r.refresh(range(1_000, 4), 4, 61_000); // another caller's refresh: a timed light scan reads it again
        assertEquals("java", r.owner(1_000).name());
        ProcessResolver.Attached a = r.attach(new ArrayList<>(table), 61_000); // no scan now: the map is as that refresh left it
        for (SocketEntry e : a.rows()) assertEquals("java", e.process());
        assertEquals(0, a.unowned());
    }

    private static long[] range(long from, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = from + i;
        return out;
    }
}

package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.carrotsearch.hppc.IntObjectHashMap;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A process's name is what it runs now: a forked child that inherited a socket and then exec'd another
 * program is named by that program, not by the shell its name was first read as (the CI rehearsal's
 * {@code DeadOwnerTest} once showed "bash" for the {@code sleep} that held the socket: the child's name had
 * been read between its fork and its exec, and never again).
 */
class ExecRenamedOwnerTest {
    /** Processes, their socket inodes, fd counts and names, changed by the test between attaches. */
    static final class Lister implements ProcessResolver.FdLister {
        final IntObjectHashMap<long[]> inodes = new IntObjectHashMap<>();
        final Map<Integer, Long> fds = new HashMap<>();
        final Map<Integer, String> names = new HashMap<>();

        @Override
        public int[] pids() {
            return inodes.keys().toArray();
        }

        @Override
        public long fdCount(int pid) {
            return fds.getOrDefault(pid, 0L);
        }

        @Override
        public long[] socketInodes(int pid) {
            return inodes.get(pid).clone();
        }

        @Override
        public String name(int pid) {
            return names.get(pid);
        }

        @Override
        public boolean alive(int pid) {
            return inodes.containsKey(pid);
        }

        void process(int pid, String name, long fdCount, long... socketInodes) {
            inodes.put(pid, socketInodes);
            fds.put(pid, fdCount);
            names.put(pid, name);
        }

        void exit(int pid) {
            inodes.remove(pid);
            fds.remove(pid);
            names.remove(pid);
        }
    }

    private static final ConnectionKey KEY = key();

    private static ConnectionKey key() {
        try {
            return new ConnectionKey(new Endpoint(InetAddress.getByName("127.0.0.1"), 41_000),
                    new Endpoint(InetAddress.getByName("127.0.0.1"), 9_000));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SocketEntry row(long inode) {
        return new SocketEntry(KEY, TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, inode, null, null, false);
    }

    @Test
    void theChildThatTakesOverIsNamedByWhatItExecd() {
        Lister lister = new Lister();
        lister.process(100, "bash", 4, 7);
        lister.process(101, "bash", 4, 7); // forked, not yet exec'd
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        SocketEntry first = r.attach(List.of(row(7)), 1_000).rows().get(0);
        assertEquals("bash", first.process());

        lister.names.put(101, "sleep"); // the child exec'd sleep (its fds the same: 0-2 and the socket)
        lister.exit(100); // and the parent exited
        SocketEntry after = r.attach(List.of(row(7)), 2_000).rows().get(0);
        assertEquals(101, after.pid());
        assertEquals("sleep", after.process(), "the child's name now, not the one read before its exec");
    }

    @Test
    void aProcessReadAgainWithTheSameSocketsIsNamedAsItIsNow() {
        Lister lister = new Lister();
        lister.process(200, "bash", 5, 8); // a wrapper script, before its exec
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        assertEquals("bash", r.attach(List.of(row(8)), 1_000).rows().get(0).process());
        assertEquals("bash", r.attach(List.of(row(8)), 2_000).rows().get(0).process()); // read again: still bash

        lister.process(200, "java", 4, 8); // exec'd later: a close-on-exec fd went, the socket stayed
        // nothing is unknown, so the next look at the processes is the timed light scan
        SocketEntry later = r.attach(List.of(row(8)), 2_000 + 60_000).rows().get(0);
        assertEquals(200, later.pid());
        assertEquals("java", later.process(), "read again with its fds, named again");
    }
}

package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.SocketEntry;
import io.tcplens.testutil.LoopbackSockets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The netlink source works out owners while the dump still arrives ({@link ProcessResolver#prepare},
 * the rows so far, between datagrams) and {@link ProcessResolver#attach} then does what is left: on
 * real loopback sockets, identified by 4-tuple and inode, owners prepared in parts are those one
 * attach of the whole table finds, also when a socket opened between two polls makes the attach scan;
 * and a socket whose process changed nothing keeps its owner from poll to poll.
 */
class OwnersDuringDumpTest {
    private static final int PID = (int) ProcessHandle.current().pid();

    @Test
    void ownersPreparedInPartsAreWhatOneAttachFindsAndAnUnchangedSocketKeepsItsRow() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        assumeTrue(NetlinkSource.probe().isEmpty(), "needs sock_diag");
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource table = new NetlinkSource(Path.of("/proc"), false)) {
            for (int i = 0; i < 5; i++) lab.established();
            ProcessResolver whole = new ProcessResolver(Path.of("/proc"), 0);
            ProcessResolver parts = new ProcessResolver(Path.of("/proc"), 0);
            Map<String, SocketEntry> firstRows = null;
            for (int poll = 0; poll < 3; poll++) {
                if (poll == 2) lab.established(); // new inodes: the attach scans, after the rows were prepared
                List<SocketEntry> rows = table.poll().sockets();
                long now = System.currentTimeMillis();
                List<SocketEntry> a = whole.attach(rows, now).rows();
                List<SocketEntry> grown = new ArrayList<>();
                for (int i = 0; i < rows.size(); i += 7) { // as datagrams come: a few rows at a time
                    grown.addAll(rows.subList(i, Math.min(rows.size(), i + 7)));
                    parts.prepare(grown);
                }
                List<SocketEntry> b = parts.attach(grown, now).rows();
                assertEquals(rows.size(), b.size());
                Map<String, SocketEntry> ours = new HashMap<>();
                for (int i = 0; i < rows.size(); i++) {
                    SocketEntry r = rows.get(i);
                    if (!lab.owns(r)) continue;
                    assertEquals(a.get(i).key(), b.get(i).key());
                    assertEquals(owner(a.get(i)), owner(b.get(i)), "poll " + poll + ": " + r.key());
                    assertEquals(Integer.valueOf(PID), b.get(i).pid(), "poll " + poll + ": this JVM holds " + r.key());
                    ours.put(r.key() + " " + r.inode(), b.get(i));
                }
                assertTrue(ours.size() >= 11 + (poll == 2 ? 2 : 0), "the listener and both ends of each connection: " + ours.keySet());
                if (poll == 1) {
                    // no process changed its fds: every socket of the poll before, with the same owner
                    for (Map.Entry<String, SocketEntry> e : ours.entrySet())
                        assertEquals(owner(firstRows.get(e.getKey())), owner(e.getValue()), e.getKey());
                }
                if (poll == 0) firstRows = ours;
            }
        }
    }

    private static String owner(SocketEntry e) {
        return e.pid() + " " + e.process() + " " + e.ownerLastKnown();
    }
}

package io.tcplens.source.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.Snapshot;
import io.tcplens.testutil.ForkedHolders;
import io.tcplens.testutil.TestNetns;
import io.tcplens.testutil.TestSshd;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 7 over SSH: a real sshd in a namespace of the test's own, and on that "server" a
 * python3 parent and its two forked children holding the same sockets. The SSH source lists every
 * holder as the server's {@code ss -tanp} does, and a holder that ends (a zombie child, then the
 * parent) is gone at the very next poll — the poll asks the server whether the last table's holders
 * still run, it does not wait for the next fd scan.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SshSharedOwnersTest {
    @TempDir
    Path tmp;

    @Test
    void everyHolderOnTheServerAndEndedOnesDropAtTheNextPoll() throws Exception {
        assumeTrue(TestSshd.usable(), "needs root, ip netns, python3 and openssh-server");
        try (TestNetns ns = new TestNetns(0, 0, 0); TestSshd sshd = new TestSshd(ns, tmp);
             ForkedHolders f = new ForkedHolders(List.of("ip", "netns", "exec", ns.name()));
             SshSource src = new SshSource(SshTarget.parse(sshd.uri()), SshSettings.ofDirectory(sshd.clientDir(), null), true)) {
            TreeSet<Integer> all = new TreeSet<>(f.pids);
            f.awaitSs(all);
            Snapshot s = src.poll();
            f.assertHoldersAsSs(s, f.ss(), "ssh");
            assertFalse(s.holders().isEmpty());

            int child = all.last();
            f.kill(child); // a zombie: the parent never reaps it
            all.remove(child);
            f.awaitSs(all);
            f.assertHoldersAsSs(src.poll(), f.ss(), "ssh after a child ended");

            f.kill(f.parent);
            all.remove(f.parent);
            f.awaitSs(all);
            s = src.poll();
            f.assertHoldersAsSs(s, f.ss(), "ssh after the parent ended");
            assertTrue(s.holders().isEmpty(), "one holder left: " + s.holders());
        }
    }
}

package io.tcplens.ui.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.analysis.remote.RemoteHostRow;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.theme.Theme;
import io.tcplens.testutil.ExclusiveServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The registered view inside the real main window on the live /proc source: loopback connections
 * from 127.0.0.2 (1), .3 (2), .4 (3) and .5 (4) to a local server show up as four rows with those
 * counts; selecting a row selects its connections in the shell. Screenshots in both themes.
 */
class RemoteHostViewLiveTest {

    @Test
    void liveLoopbackRemotesInTheMainWindow() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        List<AutoCloseable> open = new ArrayList<>();
        // a port no other socket on the host can take while the server is open: filters on it see only this test's sockets
        try (ExclusiveServerSocket server = new ExclusiveServerSocket(InetAddress.getByName("127.0.0.1"), 50)) {
            int port = server.getLocalPort();
            for (int k = 2; k <= 5; k++) server.connectFrom(InetAddress.getByName("127.0.0." + k), k - 1, open);
            try (WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/remote-live", 250), "proc",
                    1400, 820, Theme.LIGHT)) { // closing the stage closes the window
                MainWindow w = fixture.window();
                RemoteHostView v = (RemoteHostView) w.views().stream().filter(x -> x.id().equals(RemoteHostView.ID)).findFirst().orElseThrow();
                FxTestSupport.onFx(() -> {
                    w.showView(RemoteHostView.ID);
                    v.setPortFilter(Integer.toString(port));
                    v.setThreshold("3");
                });
                FxTestSupport.waitUntil(() -> v.visibleRows().size() == 4, 60_000, "four loopback remotes");
                Map<String, Integer> counts = new TreeMap<>();
                for (RemoteHostRow r : FxTestSupport.onFx(v::visibleRows)) counts.put(r.label(), r.count(TcpState.ESTABLISHED));
                assertEquals(Map.of("127.0.0.2", 1, "127.0.0.3", 2, "127.0.0.4", 3, "127.0.0.5", 4), counts);

                FxTestSupport.onFx(() -> v.table().getSelectionModel().select(0));
                Set<ConnectionKey> sel = FxTestSupport.onFx(() -> w.selectedConnections().get());
                assertEquals(4, sel.size());
                for (Theme t : Theme.values()) {
                    long seq = FxTestSupport.onFx(() -> w.lastShown().sequence());
                    FxTestSupport.onFx(() -> w.setTheme(t));
                    FxTestSupport.waitUntil(() -> w.lastShown().sequence() >= seq + 2, 90_000, "two polls drawn in " + t); // a theme switch restyles every view: slow on 2 busy cores
                    FxTestSupport.settle();
                    FxTestSupport.screenshot(w.scene(), "remote-ips-live-" + t.name().toLowerCase());
                }
            }
        } finally {
            for (AutoCloseable c : open) c.close();
        }
    }
}

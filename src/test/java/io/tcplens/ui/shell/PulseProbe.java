package io.tcplens.ui.shell;

import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.SocketTableSource;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.remote.RemoteHostView;
import io.tcplens.ui.theme.Theme;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import javafx.collections.ListChangeListener;
import javafx.collections.SetChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;

/**
 * A probe, not a suite test (its name does not end in Test): the real window at a given size and theme, on a
 * generated table (realistic owners: long process names, 7-digit PIDs, a 6-digit count of ownerless
 * TIME_WAIT, 5-digit port counts; or {@code -Dprobe.generated=true}: WindowAt1024Test's 21,000), looked at
 * after every layout pulse from the window's first frame ({@code -Dprobe.late=true}: the tab shown after
 * the connections and remote-IP tabs, as WindowAt1024Test does): every overflow {@link WindowAt1024Test#fits}
 * finds, with the pulse and poll; and with {@code -Dprobe.churn=true} every pseudo-class and style-class
 * change of every node, counted by kind of node over {@code -Dprobe.polls} polls (what makes the FX thread
 * work out CSS again at each poll). Screenshots under target/screenshots (probe-VIEW-THEME-WIDTH.png).
 * <pre>mvn -q -o test -Dtest=PulseProbe -Dsurefire.failIfNoSpecifiedTests=false -Dprobe.churn=true \
 *     -Dprobe.runs=connections:LIGHT:1024:700,processes:DARK:1360:860</pre>
 */
class PulseProbe {
    /** Realistic processes tab: many owners with long names, a 6-digit count of ownerless TIME_WAIT, 5-digit port counts. */
    static final class BigOwners implements SocketTableSource {
        static final SourceInfo INFO = new SourceInfo(SourceInfo.Kind.SIMULATED, "generated", "generated owners table");
        private final Random rnd = new Random(11);
        private final List<SocketEntry> rows = new ArrayList<>();
        private final InetAddress local = Addresses.fromBytes(new byte[] {10, 0, 0, 1});
        private int next = 1;
        private long now = System.currentTimeMillis();
        private final int churn;

        BigOwners(int size, int churn) {
            this.churn = churn;
            for (int i = 0; i < size; i++) rows.add(row());
        }

        private SocketEntry row() {
            int n = next++;
            InetAddress remote = Addresses.fromBytes(new byte[] {(byte) 198, 51, (byte) (n % 16), (byte) (n / 16 % 250 + 1)});
            int kind = rnd.nextInt(10);
            TcpState s = kind < 6 ? TcpState.TIME_WAIT : kind < 8 ? TcpState.ESTABLISHED : kind < 9 ? TcpState.CLOSE_WAIT : TcpState.FIN_WAIT2;
            int localPort = n % 3 == 0 ? 443 : n % 3 == 1 ? 8443 : 32768 + n % 28000;
            ConnectionKey key = new ConnectionKey(new Endpoint(local, localPort), new Endpoint(remote, 1024 + n % 60_000));
            boolean tw = s == TcpState.TIME_WAIT;
            int owner = n % 40;
            return new SocketEntry(key, s, null, 0, 0, tw ? TimerKind.TIME_WAIT : null, tw ? (long) rnd.nextInt(60_000) : null,
                    0, 1000, tw ? 0 : 100_000 + n, tw ? null : 3_900_000 + owner,
                    tw ? null : "java-application-server-with-a-long-name-" + owner, false);
        }

        @Override
        public SourceInfo info() {
            return INFO;
        }

        @Override
        public synchronized Snapshot poll() {
            now += 1000;
            for (int i = 0; i < churn; i++) rows.set(rnd.nextInt(rows.size()), row());
            return new Snapshot(now, rows, INFO, List.of());
        }
    }

    @Test
    void probe() throws Exception {
        for (String r : System.getProperty("probe.runs", "processes:LIGHT:1024:700,processes:DARK:1024:700,processes:LIGHT:1360:860").split(",")) {
            String[] p = r.split(":");
            run(p[0], Theme.valueOf(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3]));
        }
    }

    private void run(String view, Theme theme, double w, double h) throws Exception {
        int size = Integer.getInteger("probe.size", 120_000);
        List<String> over = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> churn = Collections.synchronizedMap(new TreeMap<>());
        Map<Node, Boolean> watched = new IdentityHashMap<>();
        long[] pulses = {0};
        MainWindow[] holder = new MainWindow[1];
        boolean watchChurn = Boolean.getBoolean("probe.churn");
        Runnable check = () -> {
            MainWindow window = holder[0];
            pulses[0]++;
            long seq = window.lastShown() == null ? -1 : window.lastShown().sequence();
            for (Node n : window.scene().getRoot().lookupAll(".table-view"))
                if (n instanceof TableView<?> t && t.getScene() != null && onScreen(t))
                    for (String s : WindowAt1024Test.fits("p" + pulses[0] + "/poll" + seq, t)) over.add(s);
            if (watchChurn) watch(window.scene().getRoot(), watched, churn);
        };
        SocketTableSource source = Boolean.getBoolean("probe.generated") ? new GeneratedTable(21_000, 420) : new BigOwners(size, size / 50);
        WindowFixture f = WindowFixture.open(TestPreferences.cleared("tcplens-test/probe", 1000), source, w, h, theme, mw -> {
            holder[0] = mw;
            if (!Boolean.getBoolean("probe.late")) mw.showView(view);
            mw.scene().addPostLayoutPulseListener(check);
        });
        MainWindow window = f.window();
        try {
            FxTestSupport.waitUntil(() -> window.lastShown() != null && window.lastShown().sequence() >= 1, 60_000, "a poll");
            if (Boolean.getBoolean("probe.late")) {
                WindowTourTest.awaitTwoPolls(window);
                FxTestSupport.onFx(() -> window.showView(RemoteHostView.ID));
                WindowTourTest.awaitTwoPolls(window);
                FxTestSupport.onFx(() -> window.showView(view));
            }
            long first = FxTestSupport.onFx(() -> window.lastShown().sequence());
            FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= first + 1, 60_000, "a poll");
            FxTestSupport.settle();
            churn.clear();
            long from = FxTestSupport.onFx(() -> window.lastShown().sequence());
            FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= from + Integer.getInteger("probe.polls", 8), 120_000, "polls");
            FxTestSupport.screenshot(window.scene(), "probe-" + view + "-" + theme.name().toLowerCase() + "-" + (int) w);
            FxTestSupport.onFx(() -> window.scene().removePostLayoutPulseListener(check));
            System.out.println("=== " + view + " " + theme + " " + w + "x" + h + " pulses " + pulses[0] + " overflows " + over.size());
            synchronized (over) {
                over.stream().limit(20).forEach(s -> System.out.println("  OVER " + s));
            }
            synchronized (churn) {
                churn.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(Integer.getInteger("probe.lines", 60))
                        .forEach(e -> System.out.printf("  CHURN %6d /8 polls  %s%n", e.getValue(), e.getKey()));
            }
        } finally {
            f.close();
        }
    }

    private static boolean onScreen(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        var b = n.localToScene(n.getLayoutBounds());
        return b.getWidth() > 0 && b.getHeight() > 0;
    }

    private static boolean visible(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }

    private static String name(Node n) {
        String parent = n.getParent() == null ? "" : n.getParent().getClass().getSimpleName() + n.getParent().getStyleClass() + " > ";
        return parent + n.getClass().getSimpleName() + n.getStyleClass();
    }

    private static void watch(Node n, Map<Node, Boolean> watched, Map<String, Integer> churn) {
        if (watched.put(n, Boolean.TRUE) == null) {
            n.getPseudoClassStates().addListener((SetChangeListener<PseudoClass>) c -> {
                String what = c.wasAdded() ? "+" + c.getElementAdded() : "-" + c.getElementRemoved();
                if (what.contains("-child")) what = what.charAt(0) + "structural";
                what += visible(n) ? "" : " (hidden)";
                churn.merge("pc " + what + "  " + name(n), 1, Integer::sum);
            });
            n.getStyleClass().addListener((ListChangeListener<String>) c -> {
                while (c.next()) churn.merge("sc +" + c.getAddedSubList() + " -" + c.getRemoved() + "  " + name(n), 1, Integer::sum);
            });
        }
        if (n instanceof Parent p) for (Node k : p.getChildrenUnmodifiable()) watch(k, watched, churn);
    }
}

package io.tcplens.ui.theme;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.Presentation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javafx.scene.control.TabPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 13: the window starts without a single CSS warning (an unresolved looked-up colour
 * such as {@code -tcp-time-wait}, a ClassCastException while converting AtlantaFX's values) in either
 * theme, with every tab shown once, the theme switched and presentation mode turned on and off. JavaFX reports CSS problems
 * through java.util.logging ("javafx.css", "javafx.scene"); a handler on the root logger collects
 * every warning with the stack that raised it, so a failure names the node's code.
 */
class StartupCssTest {
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() < Level.WARNING.intValue()) return;
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            String msg = r.getMessage() == null ? "" : r.getMessage();
            if (!name.startsWith("javafx") && !msg.contains("stylesheet") && !msg.contains("CSS")) return;
            if (msg.startsWith("Unsupported JavaFX configuration")) return; // classpath launch, not CSS
            StringWriter where = new StringWriter();
            new Throwable("raised here").printStackTrace(new PrintWriter(where));
            warnings.add(name + ": " + msg + "\n" + where);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private WindowFixture fixture;

    @BeforeEach
    void listen() {
        root.addHandler(handler);
    }

    @AfterEach
    void close() {
        root.removeHandler(handler);
        if (fixture != null) fixture.close();
    }

    @Test
    void noCssWarningAtStartInEitherThemeOnEveryTab() throws Exception {
        for (Theme theme : Theme.values()) {
            fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/startup-css", 250), new GeneratedTable(3_000, 60),
                    1024, 700, theme);
            MainWindow w = fixture.window();
            FxTestSupport.waitUntil(() -> w.lastShown() != null && w.lastShown().sequence() >= 2, 30_000, "two polls shown");
            TabPane tabs = (TabPane) w.scene().lookup(".tab-pane");
            int n = FxTestSupport.onFx(() -> tabs.getTabs().size());
            for (int i = 0; i < n; i++) {
                int idx = i;
                FxTestSupport.onFx(() -> tabs.getSelectionModel().select(idx));
                FxTestSupport.settle();
            }
            FxTestSupport.onFx(() -> w.setTheme(theme.isDark() ? Theme.LIGHT : Theme.DARK));
            FxTestSupport.settle();
            FxTestSupport.onFx(() -> tabs.getSelectionModel().select(0));
            FxTestSupport.settle();
            // presentation mode (F11) overrides AtlantaFX's colours on the root: on and off again
            FxTestSupport.onFx(() -> Presentation.of(w.scene()).set(true));
            FxTestSupport.settle();
            FxTestSupport.onFx(() -> Presentation.of(w.scene()).set(false));
            FxTestSupport.settle();
            fixture.close();
            fixture = null;
            assertTrue(warnings.isEmpty(), theme + ": " + warnings.size() + " CSS warnings, first:\n"
                    + (warnings.isEmpty() ? "" : warnings.get(0)));
        }
    }
}

package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.source.SocketTableSource;
import io.tcplens.ui.shell.StartedEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: {@code -Dtcplens.early=false} leaves the early source out (StartupBenchmark sizes the
 * early poll's share of the start with it): no engine is begun, and the window's opener opens the
 * source itself instead of handing it an engine that is already polling.
 */
class EarlySourceSwitchTest {
    @Test
    void withTheSwitchOffNoEngineIsBegunAndTheOpenerOpensTheSourceItself() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        String before = System.getProperty(EarlySource.ENABLED_PROPERTY);
        System.setProperty(EarlySource.ENABLED_PROPERTY, "false");
        try {
            EarlySource.begin("proc", 600_000);
            assertNull(EarlySource.begun(), "no early engine with -Dtcplens.early=false");
            try (SocketTableSource s = EarlySource.open("proc")) {
                assertFalse(s instanceof StartedEngine.Carrier, "the window opens its source itself");
            }
        } finally {
            if (before == null) System.clearProperty(EarlySource.ENABLED_PROPERTY);
            else System.setProperty(EarlySource.ENABLED_PROPERTY, before);
        }
    }
}

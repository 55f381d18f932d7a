package io.tcplens.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.cli.LabCommand;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import picocli.CommandLine;

@EnabledOnOs(OS.LINUX)
class LabSourceTest {
    @Test
    void theLabSourceShowsOnlyLabSocketsLabelledLab() throws Exception {
        try (SocketTableSource s = Sources.open("lab:client-close,connections=8,rate=400")) {
            assertEquals(SourceInfo.Kind.LAB, s.info().kind());
            Lab lab = ((LabSource) s).lab();
            assertTrue(lab.awaitFinished(Duration.ofSeconds(20)));
            Snapshot snap = s.poll();
            assertEquals(SourceInfo.Kind.LAB, snap.source().kind());
            assertTrue(snap.sockets().stream().allMatch(lab::isLabSocket));
            assertEquals(8, snap.sockets().stream().filter(e -> e.state() == TcpState.TIME_WAIT).count(), snap.sockets().toString());
        }
    }

    @Test
    void badLabSpecsGiveOneLine() {
        SourceException a = assertThrows(SourceException.class, () -> Sources.open("lab:nothing"));
        assertTrue(a.getMessage().startsWith("unknown lab scenario 'nothing' (known: client-close"), a.getMessage());
        SourceException b = assertThrows(SourceException.class, () -> Sources.open("lab:port-pool,rate=fast"));
        assertTrue(b.getMessage().contains("not a number: 'fast'"), b.getMessage());
        SourceException c = assertThrows(SourceException.class, () -> Sources.open("lab:port-pool,connections=999999"));
        assertTrue(c.getMessage().contains("connections must be"), c.getMessage());
    }

    @Test
    void theLabCommandPrintsTheKernelsErrorAndTheStatesSeen() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new LabCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("port-pool", "--connections", "6", "--pool-size", "3", "--rate", "200", "--interval", "100ms");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("bind(): Address already in use [EADDRINUSE]"), text);
        assertTrue(text.contains("states seen (most at once):") && text.contains("TIME_WAIT 3"), text);
        assertEquals(2, new CommandLine(new LabCommand()).setErr(new PrintWriter(new StringWriter())).execute("nope"));
    }
}

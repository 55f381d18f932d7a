package io.tcplens.analysis.explain;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.model.TcpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateExplanationsTest {
    private final StateExplanations text = new StateExplanations(Locale.ENGLISH, null);

    @Test
    void everyStateHasEverySectionAndAnRfcSection() {
        for (TcpState s : TcpState.values()) {
            StateExplanation e = text.explain(s);
            assertEquals(StateExplanations.SECTIONS, e.sections().stream().map(StateExplanation.Section::id).toList(), s.name());
            for (StateExplanation.Section sec : e.sections()) {
                assertFalse(sec.text().isBlank(), s + "." + sec.id());
                assertFalse(sec.text().contains("''"), s + "." + sec.id() + ": a doubled quote reached the text");
            }
            assertFalse(e.summary().isBlank(), s.name());
            assertTrue(e.section("rfc").text().matches("Sections? 3\\.\\d.*"), s + " cites an RFC 9293 section: " + e.section("rfc").text());
            assertEquals(s.rfcName(), e.rfcName());
        }
    }

    @Test
    void timeWaitIsSixtySecondsFixedAndFinTimeoutIsNotItsKnob() {
        StateExplanation tw = text.explain(TcpState.TIME_WAIT);
        assertTrue(tw.section("duration").text().contains("60 s"));
        assertTrue(tw.section("duration").text().contains("TCP_TIMEWAIT_LEN"));
        assertTrue(tw.section("notFixes").text().contains("tcp_fin_timeout does NOT shorten TIME_WAIT"));
        assertFalse(tw.section("fixes").text().contains("tcp_fin_timeout"), "fin_timeout must not be offered as a TIME_WAIT fix");
        StateExplanation fw2 = text.explain(TcpState.FIN_WAIT2);
        assertTrue(fw2.section("duration").text().contains("net.ipv4.tcp_fin_timeout"));
        assertTrue(fw2.section("duration").text().contains("orphan"));
        assertTrue(text.explain(TcpState.CLOSE_WAIT).section("duration").text().contains("until the owning program closes"));
    }

    @Test
    void namesAreParsedAsTheTableAndSsWriteThem() {
        assertEquals("TIME_WAIT", text.explain("time-wait").orElseThrow().state());
        assertEquals("ESTABLISHED", text.explain("ESTAB").orElseThrow().state());
        assertEquals("SYN_RECV", text.explain("SYN-RECV").orElseThrow().state());
        assertTrue(text.explain("NOPE").isEmpty());
    }

    @Test
    void settingsAreThisMachinesValuesOrSayTheyAreUnreadable(@TempDir Path sys) throws Exception {
        Path fin = sys.resolve("net/ipv4/tcp_fin_timeout");
        Files.createDirectories(fin.getParent());
        Files.writeString(fin, "17\n");
        StateExplanations here = new StateExplanations(Locale.ENGLISH, new SysctlReader(sys));
        assertEquals(List.of("net.ipv4.tcp_fin_timeout = 17"), here.explain(TcpState.FIN_WAIT2).settings());
        List<String> tw = here.explain(TcpState.TIME_WAIT).settings();
        assertEquals(StateExplanations.settingNames(TcpState.TIME_WAIT).size(), tw.size());
        assertTrue(tw.contains("net.ipv4.tcp_max_tw_buckets: not readable here"), tw.toString());
        assertTrue(tw.contains("net.ipv4.tcp_fin_timeout = 17"));
        assertTrue(text.explain(TcpState.FIN_WAIT2).settings().isEmpty(), "no reader: no settings");
        assertTrue(here.explainWithoutSettings(TcpState.FIN_WAIT2).settings().isEmpty());
    }

    @Test
    void liveSettingsAgreeWithTheTextsDefaultsWhereThisKernelKeepsThem() {
        // the text says TIME_WAIT is not a sysctl: no kernel exposes one under the names people try
        SysctlReader sys = SysctlReader.system();
        if (!Files.isDirectory(sys.root())) return;
        assertTrue(sys.read("net.ipv4.tcp_timewait_len").isEmpty());
        assertTrue(sys.read("net.ipv4.tcp_tw_recycle").isEmpty(), "tcp_tw_recycle was removed in 4.12, the text says so");
    }
}

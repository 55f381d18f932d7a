package io.tcplens.analysis.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: every statement the advisor makes about a sysctl cites where it comes from (a section of
 * the kernel's documentation, its source, or behaviour measured on a real kernel), and the citation
 * reaches the reader wherever the sentence does.
 */
class CitationsTest {
    /** Every sysctl the advisor speaks of, as its sentences name them. */
    private static final Pattern NAMES_A_SYSCTL = Pattern.compile(
            "tcp_tw_reuse|tcp_tw_reuse_delay|tcp_tw_recycle|tcp_timestamps|tcp_fin_timeout|tcp_max_tw_buckets|"
                    + "ip_local_port_range|ip_local_reserved_ports|tcp_max_syn_backlog|somaxconn|tcp_syncookies|"
                    + "SYN cookies|tcp_keepalive_\\w+|tw_reuse");
    /** A line that only prints values read from this machine ("tcp_fin_timeout = {0} s"): an observation, not a statement. */
    private static final Pattern ONLY_VALUES = Pattern.compile(
            "^(([\\w.]+ = (\\{\\d\\}|\\?|0)( s)?)(, )?)+$");

    static Properties load(String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = CitationsTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everySentenceThatNamesASysctlCitesItsSource() throws IOException {
        Properties advice = load("/io/tcplens/analysis/advisor/advice.properties");
        Properties cites = load("/io/tcplens/analysis/advisor/citations.properties");
        Set<String> missing = new TreeSet<>();
        for (String key : advice.stringPropertyNames()) {
            String text = advice.getProperty(key);
            if (key.equals("snippet.source") || !NAMES_A_SYSCTL.matcher(text).find()) continue;
            if (ONLY_VALUES.matcher(text.replaceFirst("^net\\.\\w+\\.", "")).matches()) continue;
            if (!cites.containsKey(key)) missing.add(key + " = " + text);
        }
        assertTrue(missing.isEmpty(), "sentences about a sysctl with no source in citations.properties:\n" + String.join("\n", missing));
        Set<String> orphans = new TreeSet<>(cites.stringPropertyNames());
        orphans.removeAll(advice.stringPropertyNames());
        assertTrue(orphans.isEmpty(), "citations of sentences that do not exist: " + orphans);
        for (String key : cites.stringPropertyNames())
            assertTrue(cites.getProperty(key).matches(".*(ip-sysctl\\.rst §|net\\.rst §|measured on Linux|include/|net/ipv4/|"
                    + "Linux 4\\.12|tcp\\(7\\)|socket\\(7\\)|ip\\(7\\)|listen\\(2\\)|RFC |read from /proc/sys).*"),
                    () -> key + ": a citation names a document section, kernel source or measurement: " + cites.getProperty(key));
    }

    @Test
    void aSentenceCarriesTheSourcesOfItsFragments() {
        AdviceText en = AdviceText.english();
        Text bound = Text.of("advice.syn-recv.evidence.bound", 8102, "9", "9", Text.of("advice.syn-recv.limit.cookies", "8", 1));
        String src = en.source(bound);
        assertTrue(src.startsWith("measured on Linux 6.18"), src);
        assertTrue(src.contains("tcp_conn_request()"), "the fragment's own source comes along: " + src);
        assertEquals(src.split("; ").length, Set.of(src.split("; ")).size(), "no source twice: " + src);
        assertNull(en.source(Text.of("advice.close-wait.evidence.peers", "x")), "an observation cites nothing");
    }

    @Test
    void theSnippetCitesEachSetting() {
        Finding f = new Finding("syn-recv", Finding.Severity.WARNING, Text.of("advice.syn-recv.title.pile", "100"), List.of(),
                List.of(Text.of("advice.syn-recv.fix.cookies")),
                List.of(new SysctlSuggestion(KernelSettings.SYNCOOKIES, "1", "0", Text.of("advice.syn-recv.why.cookies"))));
        String snippet = SysctlSnippet.render(List.of(f), AdviceText.english());
        assertTrue(snippet.contains("# answer SYNs with cookies when a listener's SYN queue overflows\n# source: ip-sysctl.rst § tcp_syncookies\n"),
                snippet);
        assertTrue(snippet.contains("# source: Linux 4.12 release"), "the footer's statements are cited too:\n" + snippet);
    }
}

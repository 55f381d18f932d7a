package io.tcplens.analysis.explain;

import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.model.TcpState;
import java.nio.file.Files;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * The one source of "explain this state" text: every {@link TcpState} has a summary and the sections
 * {@link #SECTIONS} in the bundle {@value #BUNDLE}, and the Linux settings its text names, whose
 * values on this machine are read through a {@link SysctlReader} (none when the reader is null, as on
 * a replay or another OS). Used by the window and by {@code tcplens explain}.
 */
public final class StateExplanations {
    public static final String BUNDLE = "io.tcplens.analysis.explain.states";
    /** The sections of every state, in reading order. */
    public static final List<String> SECTIONS = List.of("meaning", "side", "duration", "pileUp", "fixes", "notFixes", "rfc");

    /** The settings each state's text names; their values are shown beside the text. */
    private static final Map<TcpState, List<String>> SETTINGS = new EnumMap<>(TcpState.class);

    static {
        SETTINGS.put(TcpState.CLOSED, List.of());
        SETTINGS.put(TcpState.LISTEN, List.of("net.core.somaxconn"));
        SETTINGS.put(TcpState.SYN_SENT, List.of("net.ipv4.tcp_syn_retries"));
        SETTINGS.put(TcpState.SYN_RECV, List.of("net.ipv4.tcp_synack_retries", "net.ipv4.tcp_syncookies",
                "net.ipv4.tcp_max_syn_backlog"));
        SETTINGS.put(TcpState.ESTABLISHED, List.of("net.ipv4.tcp_retries2", "net.ipv4.tcp_keepalive_time"));
        SETTINGS.put(TcpState.FIN_WAIT1, List.of("net.ipv4.tcp_orphan_retries", "net.ipv4.tcp_retries2"));
        SETTINGS.put(TcpState.FIN_WAIT2, List.of("net.ipv4.tcp_fin_timeout"));
        SETTINGS.put(TcpState.CLOSE_WAIT, List.of());
        SETTINGS.put(TcpState.CLOSING, List.of("net.ipv4.tcp_orphan_retries"));
        SETTINGS.put(TcpState.LAST_ACK, List.of("net.ipv4.tcp_orphan_retries"));
        SETTINGS.put(TcpState.TIME_WAIT, List.of("net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_tw_reuse",
                "net.ipv4.tcp_timestamps", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_fin_timeout"));
    }

    private final ResourceBundle bundle;
    private final SysctlReader sysctl;

    /**
     * @param locale the language
     * @param sysctl where this machine's settings are read; null: show none
     */
    public StateExplanations(Locale locale, SysctlReader sysctl) {
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale);
        this.sysctl = sysctl;
    }

    /** English text with this machine's settings when it has a /proc/sys. */
    public static StateExplanations system() {
        SysctlReader r = SysctlReader.system();
        return new StateExplanations(Locale.ENGLISH, Files.isDirectory(r.root()) ? r : null);
    }

    /** The settings whose values the explanation of {@code s} shows. */
    public static List<String> settingNames(TcpState s) {
        return SETTINGS.get(s);
    }

    public StateExplanation explain(TcpState s) {
        return explain(s, sysctl);
    }

    /** The text alone, without reading any setting (tooltips). */
    public StateExplanation explainWithoutSettings(TcpState s) {
        return explain(s, null);
    }

    private StateExplanation explain(TcpState s, SysctlReader sysctl) {
        String k = "state." + s.name() + ".";
        List<StateExplanation.Section> sections = new ArrayList<>();
        for (String id : SECTIONS)
            sections.add(new StateExplanation.Section(id, format("explain.heading." + id), format(k + id)));
        List<String> settings = new ArrayList<>();
        if (sysctl != null)
            for (String name : SETTINGS.get(s)) {
                Optional<String> v = sysctl.read(name);
                settings.add(v.map(val -> format("explain.setting", name, val))
                        .orElseGet(() -> format("explain.setting.absent", name)));
            }
        return new StateExplanation(s.name(), s.rfcName(), format(k + "summary"), sections, settings);
    }

    /** The one-line summary (tooltips, the list printed by {@code tcplens explain}). */
    public String summary(TcpState s) {
        return format("state." + s.name() + ".summary");
    }

    /** The explanation of a state given by name (ours, the RFC's or ss's), or empty. */
    public Optional<StateExplanation> explain(String name) {
        return TcpState.parse(name).map(this::explain);
    }

    /** A bundle sentence (headings, the tooltip's hint, the unknown-state message). */
    public String text(String key, Object... args) {
        return format(key, args);
    }

    private String format(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), bundle.getLocale()).format(args);
    }
}

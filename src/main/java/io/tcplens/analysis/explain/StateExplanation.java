package io.tcplens.analysis.explain;

import java.util.List;

/**
 * What a TCP state means, rendered from the explanation bundle for one locale: the same text in the
 * window (tooltips, F1) and on the command line ({@code tcplens explain STATE}).
 *
 * @param state    the state's name as TcpLens prints it (e.g. TIME_WAIT)
 * @param rfcName  the name RFC 9293 uses (e.g. TIME-WAIT)
 * @param summary  one line
 * @param sections the headed paragraphs, in reading order
 * @param settings this machine's values of the settings the text names (empty where none are read)
 */
public record StateExplanation(String state, String rfcName, String summary, List<Section> sections,
                               List<String> settings) {
    public StateExplanation {
        sections = List.copyOf(sections);
        settings = List.copyOf(settings);
    }

    /** One headed paragraph ("Which side is in it", …). */
    public record Section(String id, String heading, String text) {}

    /** The section with this id ("duration", "notFixes", …). */
    public Section section(String id) {
        return sections.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no section " + id));
    }

    /** Plain text: title, summary, the sections and the settings, for a terminal or a dialog. */
    public String plainText(String settingsHeading) {
        StringBuilder sb = new StringBuilder();
        sb.append(state);
        if (!rfcName.equals(state)) sb.append(" (").append(rfcName).append(')');
        sb.append('\n').append(summary).append('\n');
        for (Section s : sections) sb.append('\n').append(s.heading()).append('\n').append("  ").append(s.text()).append('\n');
        if (!settings.isEmpty()) {
            sb.append('\n').append(settingsHeading).append('\n');
            for (String v : settings) sb.append("  ").append(v).append('\n');
        }
        return sb.toString();
    }
}

package io.tcplens.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.text.MessageFormat;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every literal key the UI code asks the bundle for exists in messages.properties; counts are written
 * in the singular or the plural, never "finding(s)" (issue 18, second half).
 */
class MessagesConsistencyTest {
    private static final Pattern KEY = Pattern.compile("getString\\(\"([A-Za-z0-9_.\\-]+)\"\\)|titleKey\\(\\)\\s*\\{\\s*return \"([A-Za-z0-9_.\\-]+)\"");

    @Test
    void everyKeyUsedInCodeExists() throws IOException {
        ResourceBundle b = ResourceBundle.getBundle("io.tcplens.ui.messages");
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/tcplens"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = KEY.matcher(Files.readString(f));
                while (m.find()) {
                    String k = m.group(1) != null ? m.group(1) : m.group(2);
                    if (!b.containsKey(k)) missing.add(f.getFileName() + ": " + k);
                }
            }
        }
        assertTrue(missing.isEmpty(), "missing bundle keys: " + missing);
    }

    /** A plural written as "row(s)", "address(es)": a letter right before the parenthesis ("Time limit (s)" is a unit). */
    private static final Pattern GUESSED_PLURAL = Pattern.compile("\\p{L}\\((s|es|ies)\\)");

    /**
     * No message writes a count's noun as "(s)": each says "1 finding" or "5 findings" through a
     * ChoiceFormat ({@code {0,choice,0#no findings|1#1 finding|1<{0,number,integer} findings}}), the one
     * way the bundle writes plurals. Every message is rendered at 0, 1, 5 and 3,380 (as every argument)
     * and checked; the ones the screenshots showed with "(s)" are checked word for word.
     */
    @Test
    void countsAreWrittenInTheSingularOrThePluralNeverWithParentheses() {
        List<String> guessed = new ArrayList<>();
        // the window's texts, the lab's event lines and the advisor's cards (both shown in the window)
        for (String bundle : List.of("io.tcplens.ui.messages", "io.tcplens.lab.lab", "io.tcplens.analysis.advisor.advice")) {
            ResourceBundle rb = ResourceBundle.getBundle(bundle);
            for (String k : Collections.list(rb.getKeys())) {
                String v = rb.getString(k);
                if (GUESSED_PLURAL.matcher(v).find()) guessed.add(k + "=" + v);
                if (!v.contains("{")) continue;
                for (int n : new int[] {0, 1, 5, 3_380}) {
                    Object[] args = new Object[10];
                    Arrays.fill(args, n);
                    String out = new MessageFormat(v, Locale.US).format(args);
                    if (GUESSED_PLURAL.matcher(out).find()) guessed.add(k + " at " + n + ": " + out);
                }
            }
        }
        assertTrue(guessed.isEmpty(), "plurals written with parentheses:\n" + String.join("\n", guessed));
        ResourceBundle b = ResourceBundle.getBundle("io.tcplens.ui.messages");
        ResourceBundle lab = ResourceBundle.getBundle("io.tcplens.lab.lab");
        assertEquals("1 request over 1 connection: at most 1 TIME_WAIT instead of 1", render(lab, "lab.event.keepAliveDone", 1, 1));
        assertEquals("3,380 requests over 5 connections: at most 5 TIME_WAIT instead of 3,380", render(lab, "lab.event.keepAliveDone", 3_380, 5));

        assertEquals("1 finding in the last 2 min of data from live, most urgent first.", render(b, "advisor.summary", 1, "2 min", "live"));
        assertEquals("5 findings in the last 2 min of data from live, most urgent first.", render(b, "advisor.summary", 5, "2 min", "live"));
        assertEquals("Show the connection in the table", render(b, "advisor.rows", 1));
        assertEquals("Show the 3,380 connections in the table", render(b, "advisor.rows", 3_380));
        String span = render(b, "processes.span", "14 s", 51, 1);
        assertTrue(span.startsWith("Growth over the last 14 s \u00b7 51 owners \u00b7 1 local port;"), span);
        span = render(b, "processes.span.first", "0 s", 1, 2_048);
        assertTrue(span.contains("\u00b7 1 owner \u00b7 2,048 local ports;"), span);
        assertTrue(render(b, "export.selection.selected", 1, "x").startsWith("1 row selected"));
        assertTrue(render(b, "export.selection.selected", 38, "x").startsWith("38 rows selected"));
        assertTrue(render(b, "timeline.gauge.coarse", 1, "1 s", "1 s", "250 ms").contains("Lower bound: its one 4-tuple is taken over every 1 s"));
        assertTrue(render(b, "timeline.gauge.coarse", 3_380, "1 s", "1 s", "250 ms").contains("each of its 3,380 4-tuples is taken over"));
    }

    private static String render(ResourceBundle b, String key, Object... args) {
        return new MessageFormat(b.getString(key), Locale.US).format(args);
    }
}

package io.tcplens.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Colours come from the theme: no {@code #rrggbb} (or {@code #rgb}, {@code #rrggbbaa}) literal and no
 * {@code Color.web/rgb/hsb/color(…)} call in Java outside {@code io.tcplens.ui.theme}, so every canvas,
 * tile and chart takes its colours from {@code StatePalette} and {@code CanvasPalette}.
 */
class ColourLiteralsTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Path THEME = MAIN.resolve(Path.of("io", "tcplens", "ui", "theme"));
    static final Pattern LITERAL = Pattern.compile("\"[^\"\\n]*#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-zA-Z])[^\"\\n]*\"");
    static final Pattern CONSTRUCTED = Pattern.compile("\\bColor\\s*\\.\\s*(?:web|rgb|hsb|color|grayRgb|gray)\\s*\\(");

    @Test
    void noColourLiteralOutsideTheTheme() throws IOException {
        List<String> found = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.startsWith(THEME)) continue;
                scanned++;
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    for (Pattern p : List.of(LITERAL, CONSTRUCTED)) {
                        Matcher m = p.matcher(lines.get(i));
                        if (m.find()) found.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(scanned > 100, "scanned the main sources (" + scanned + " files)");
        assertEquals(List.of(), found, "colours outside io.tcplens.ui.theme: use StatePalette or CanvasPalette");
    }

    @Test
    void thePatternsFindWhatTheyShould() {
        assertTrue(LITERAL.matcher("Color.web(\"#0d1117\")").find());
        assertTrue(LITERAL.matcher("\"-fx-fill: #abc;\"").find());
        assertTrue(LITERAL.matcher("\"#2563ebaa\"").find());
        assertTrue(CONSTRUCTED.matcher("Color.rgb(1, 2, 3)").find());
        assertTrue(!LITERAL.matcher("String.format(\"#%02x%02x%02x\", r, g, b)").find());
        assertTrue(!LITERAL.matcher("\"see #12 and #1234\"").find());
    }
}

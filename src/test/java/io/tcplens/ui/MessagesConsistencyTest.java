package io.tcplens.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every literal key the UI code asks the bundle for exists in messages.properties. */
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
}

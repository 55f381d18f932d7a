package io.tcplens.export.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each format's output for a fixed plan equals its expected file under
 * src/test/resources/io/tcplens/export/firewall/golden/. To accept a deliberate change, run with
 * -Dtcplens.golden.update=true, then read the diff before committing.
 */
class GoldenRulesTest {
    static final Path DIR = Path.of("src/test/resources/io/tcplens/export/firewall/golden");

    @ParameterizedTest
    @EnumSource(FirewallFormat.class)
    void matchesGoldenFile(FirewallFormat format) throws IOException {
        String actual = format.generate(FirewallFixtures.plan());
        String name = format.id() + "." + format.extension();
        if (Boolean.getBoolean("tcplens.golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(name), actual, StandardCharsets.UTF_8);
        }
        Path file = DIR.resolve(name);
        if (!Files.exists(file)) throw new AssertionError("missing golden file " + file);
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(expected, actual, format.id());
    }
}

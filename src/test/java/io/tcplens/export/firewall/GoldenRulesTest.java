package io.tcplens.export.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
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

    @ParameterizedTest
    @EnumSource(value = FirewallFormat.class, names = {"NFT", "IPSET"})
    void timeoutVariantMatchesGoldenFile(FirewallFormat format) throws IOException {
        BlockPlan p = FirewallFixtures.plan();
        BlockPlan timed = new BlockPlan(p.blocks(), p.excluded(), p.forced(), p.requested(), p.header(), Duration.ofHours(1));
        String actual = format.generate(timed);
        String name = format.id() + "-timeout." + format.extension();
        if (Boolean.getBoolean("tcplens.golden.update")) Files.writeString(DIR.resolve(name), actual, StandardCharsets.UTF_8);
        Path file = DIR.resolve(name);
        if (!Files.exists(file)) throw new AssertionError("missing golden file " + file);
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, name);
    }

    @Test
    void formatsThatCannotExpireRefuseATimeout() {
        BlockPlan p = FirewallFixtures.plan();
        BlockPlan timed = new BlockPlan(p.blocks(), p.excluded(), p.forced(), p.requested(), p.header(), Duration.ofHours(1));
        for (FirewallFormat f : FirewallFormat.values()) {
            if (f.supportsTimeout()) continue;
            IllegalArgumentException e = Assertions.assertThrows(IllegalArgumentException.class, () -> f.generate(timed));
            Assertions.assertTrue(e.getMessage().contains("cannot expire"), e.getMessage());
        }
    }

    @Test
    void timeoutsParse() throws Exception {
        assertEquals(Duration.ofSeconds(90), BlockTimeout.parse("90s"));
        assertEquals(Duration.ofMinutes(30), BlockTimeout.parse(" 30m "));
        assertEquals(Duration.ofHours(1), BlockTimeout.parse("1H"));
        assertEquals(Duration.ofDays(7), BlockTimeout.parse("7d"));
        assertEquals("90m", BlockTimeout.format(Duration.ofMinutes(90)));
        for (String bad : new String[] {"", "0s", "1", "1w", "-5m", "1.5h", "400d", "1h30m"})
            Assertions.assertThrows(InvalidAddressException.class, () -> BlockTimeout.parse(bad), bad);
    }
}

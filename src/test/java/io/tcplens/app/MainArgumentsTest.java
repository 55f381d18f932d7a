package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.ui.theme.Theme;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/** How the launcher's arguments choose between window and command line (file association included). */
class MainArgumentsTest {
    @Test
    void aRecordingOpenedFromTheDesktopReplaysInTheWindow(@TempDir Path dir) throws Exception {
        Path rec = Files.writeString(dir.resolve("session.tcplens"), "");
        assertArrayEquals(new String[] {"--source", "replay:" + rec.toAbsolutePath()},
                Main.openedRecording(new String[] {rec.toString()}));
    }

    @Test
    void otherArgumentsAreNotARecording(@TempDir Path dir) throws Exception {
        assertNull(Main.openedRecording(new String[] {dir.resolve("missing.tcplens").toString()}));
        assertNull(Main.openedRecording(new String[] {"counts"}));
        assertNull(Main.openedRecording(new String[] {}));
        Path rec = Files.writeString(dir.resolve("a.tcplens"), "");
        assertNull(Main.openedRecording(new String[] {"replay", rec.toString()}));
        Files.createDirectory(dir.resolve("dir.tcplens"));
        assertNull(Main.openedRecording(new String[] {dir.resolve("dir.tcplens").toString()}));
    }

    @Test
    void windowOptionsAreParsedInOnePlace() {
        WindowOptions o = WindowOptions.parse("--source", "replay:/tmp/x.tcplens", "--dark", "--presentation");
        assertEquals("replay:/tmp/x.tcplens", o.source());
        assertEquals(Theme.DARK, o.theme());
        assertTrue(o.presentation());
        WindowOptions none = WindowOptions.parse();
        assertNull(none.source());
        assertNull(none.theme());
        assertFalse(none.presentation());
        assertEquals("lab:nat", WindowOptions.parse("--source=lab:nat", "--light").source());
        assertEquals(Theme.LIGHT, WindowOptions.parse("--light").theme());
    }

    @Test
    void theWindowGetsOnlyWhatStartsWithAWindowOption() {
        assertTrue(WindowOptions.forTheWindow());
        assertTrue(WindowOptions.forTheWindow("--dark"));
        assertTrue(WindowOptions.forTheWindow("--source=auto", "--bogus"));
        assertFalse(WindowOptions.forTheWindow("counts", "--dark"));
        assertFalse(WindowOptions.forTheWindow("--help"));
        assertFalse(WindowOptions.forTheWindow("--debug", "counts"));
    }

    @Test
    void unknownOrConflictingWindowOptionsAreRefusedInOneLine() {
        ParameterException unknown = assertThrows(ParameterException.class, () -> WindowOptions.parse("--dark", "--bogus"));
        String line = WindowOptions.problem(unknown);
        assertTrue(line.contains("--bogus") && line.contains("window options:"), line);
        assertFalse(line.contains("\n"), line);
        ParameterException both = assertThrows(ParameterException.class, () -> WindowOptions.parse("--dark", "--light"));
        assertTrue(WindowOptions.problem(both).contains("mutually exclusive"), WindowOptions.problem(both));
        assertThrows(ParameterException.class, () -> WindowOptions.parse("--source"));
    }
}

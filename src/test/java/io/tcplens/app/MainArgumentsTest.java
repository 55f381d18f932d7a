package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}

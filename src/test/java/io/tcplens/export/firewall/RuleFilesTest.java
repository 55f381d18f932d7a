package io.tcplens.export.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFilesTest {
    @TempDir Path dir;

    @Test
    void writesNewFileAndLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("block.nft");
        RuleFiles.save(f, "table inet x {}\n", false);
        assertEquals("table inet x {}\n", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void refusesToOverwriteUnlessTold() throws Exception {
        Path f = dir.resolve("block.nft");
        Files.writeString(f, "precious");
        assertThrows(FileAlreadyExistsException.class, () -> RuleFiles.save(f, "new", false));
        assertEquals("precious", Files.readString(f));
        RuleFiles.save(f, "new", true);
        assertEquals("new", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void missingFolderIsAClearError() {
        Exception e = assertThrows(IOException.class, () -> RuleFiles.save(dir.resolve("nope/x.nft"), "x", false));
        assertEquals("no such folder: " + dir.resolve("nope"), e.getMessage());
    }
}

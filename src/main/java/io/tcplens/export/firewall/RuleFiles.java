package io.tcplens.export.firewall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Saves rule text atomically (temporary file in the same folder, then an atomic move). */
public final class RuleFiles {
    private RuleFiles() {}

    /**
     * Writes {@code text} to {@code target}. Readers see the old file or the whole new one, never a
     * part. Without {@code overwrite}, an existing file is left alone and FileAlreadyExistsException thrown.
     */
    public static void save(Path target, String text, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (!overwrite && Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            throw new FileAlreadyExistsException(abs.toString(), null, "file exists (choose another name or allow overwriting)");
        if (dir != null && !Files.isDirectory(dir)) throw new IOException("no such folder: " + dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (!overwrite && Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                throw new FileAlreadyExistsException(abs.toString(), null, "file exists (choose another name or allow overwriting)");
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

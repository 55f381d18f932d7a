package io.tcplens.export.firewall;

import io.tcplens.io.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Saves rule text atomically through {@link SafeFiles}: only a regular file is ever replaced. */
public final class RuleFiles {
    private RuleFiles() {}

    /**
     * Writes {@code text} to {@code target}. Readers see the old file or the whole new one, never a
     * part. Without {@code overwrite}, an existing file is left alone and FileAlreadyExistsException
     * thrown; with it, only a regular file is replaced (keeping its mode and owner): a symbolic link,
     * directory, FIFO, socket or device raises {@link SafeFiles.NotRegularFileException}.
     */
    public static void save(Path target, String text, boolean overwrite) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SafeFiles.write(target, overwrite, out -> out.write(bytes));
    }
}

package io.tcplens.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads small kernel text files (/proc/sys, /proc/net). Files.readString trusts the size the file
 * reports, and procfs reports 0: on JDK 25 that returned only the first byte ("6" for "60"), so
 * these files are read as a stream to the end.
 */
public final class ProcText {
    private ProcText() {}

    public static String read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.US_ASCII);
        }
    }
}

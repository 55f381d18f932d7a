package io.tcplens.export.firewall;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the header comment of an export says about where it came from.
 *
 * @param time      when it was made
 * @param host      the machine it was made on
 * @param source    the data's source label (e.g. "live · Linux /proc/net/tcp{,6}")
 * @param selection how the addresses were chosen (e.g. "remotes with at least 10 SYN_RECV on local port 80")
 */
public record ExportHeader(Instant time, String host, String source, String selection) {
    public ExportHeader {
        time = time.truncatedTo(ChronoUnit.SECONDS);
        host = Comments.sanitize(host);
        source = Comments.sanitize(source);
        selection = Comments.sanitize(selection);
    }

    /** Now, on this machine. */
    public static ExportHeader now(String source, String selection) {
        return new ExportHeader(Instant.now(), localHostName(), source, selection);
    }

    /** The host name without a DNS lookup where the OS tells it directly. */
    public static String localHostName() {
        try {
            Path p = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(p)) return Files.readString(p, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            // fall through
        }
        String env = System.getenv("COMPUTERNAME");
        if (env == null) env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }
}

package io.tcplens.cli;

import io.tcplens.io.SafeFiles;
import io.tcplens.io.TerminalText;
import io.tcplens.model.Snapshot;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.source.replay.RecordingWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import io.tcplens.model.EventBatch;
import io.tcplens.source.events.EventFeed;
import io.tcplens.source.events.EventSources;

/** {@code tcplens record}: polls a source and appends every table to a {@code .tcplens} file. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Record the TCP table to a .tcplens file (gzip-compressed JSON lines, flushed after every record).",
                "Play it back with --source replay:FILE (or open it in the app)."})
public final class RecordCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "File to write (default: tcplens-YYYYMMDD-HHMMSS.tcplens here). It must not exist unless --force.")
    Path output;

    @Option(names = "--force", description = "Overwrite the output file if it exists.")
    boolean force;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "1s", converter = DurationConverter.class,
            description = "Time between polls, e.g. 250ms, 1s, 2m (default ${DEFAULT-VALUE}; 100ms to 1h).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N snapshots.")
    Integer count;

    @Option(names = "--duration", paramLabel = "D", converter = SpanConverter.class,
            description = "Stop after this long, e.g. 30s, 5m, 2h (at most 31 days).")
    Duration duration;

    @Option(names = "--source", paramLabel = "S", defaultValue = "auto",
            description = "Source to record: auto, proc, oshi, lab:SCENARIO… (default ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--quiet", description = "Print only the summary.")
    boolean quiet;

    @Option(names = "--events", description = "Also record the kernel's state changes between polls (see `tcplens events`),"
            + " so replay shows the real sequence; when they cannot run, one line says why and the table is recorded alone.")
    boolean events;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count != null && count < 1) return usage(err, "--count must be at least 1");
        if (interval.compareTo(Duration.ofMillis(100)) < 0) return usage(err, "--interval must be at least 100ms");
        if (duration != null && duration.isNegative()) return usage(err, "--duration must not be negative");
        Path file = output != null ? output : Path.of("tcplens-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + RecordingWriter.EXTENSION);

        try (SocketTableSource src = Sources.open(source)) {
            RecordingWriter writer;
            try {
                writer = new RecordingWriter(file, src.info(), src.timeWaitDuration(), force);
            } catch (FileAlreadyExistsException e) {
                err.println("tcplens record: " + file + " exists (use --force to overwrite, or -o another file)");
                return 1;
            } catch (SafeFiles.NotRegularFileException e) {
                err.println("tcplens record: will not write " + file + ": " + e.getReason());
                return 1;
            }
            EventFeed feed = null;
            if (events) {
                feed = EventSources.startFor(src, true); // a recording keeps each event's socket address and bytes
                err.println("tcplens record: " + (feed == null ? "events: off (this source has no kernel events)" : feed.status()));
                if (feed != null && !feed.on()) {
                    feed.close();
                    feed = null;
                }
            }
            final EventFeed recordedEvents = feed;
            Thread closer = new Thread(() -> closeQuietly(writer), "tcplens-record-close");
            Runtime.getRuntime().addShutdownHook(closer);
            long start = System.nanoTime();
            long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
            int failures = 0;
            if (!quiet) out.printf("recording %s to %s every %s%s%n", TerminalText.oneLine(src.info().label()), file, format(interval),
                    count == null && duration == null ? " (Ctrl+C to stop)" : "");
            out.flush();
            try {
                long next = start;
                while (true) {
                    try {
                        Snapshot s = src.poll();
                        EventBatch batch = null;
                        if (recordedEvents != null) {
                            long readEnd = System.nanoTime();
                            recordedEvents.awaitCaughtUp(readEnd, EventFeed.CATCH_UP_MILLIS);
                            batch = recordedEvents.drain(readEnd);
                        }
                        writer.checkStillThere();
                        writer.append(s, batch);
                        if (!quiet) {
                            out.printf("%5d  %6d sockets  %8d bytes%n", writer.records(), s.sockets().size(),
                                    writer.bytesWritten());
                            if (out.checkError()) return 1; // stdout is gone: the caller reports why
                        }
                    } catch (SourceException e) {
                        failures++;
                        err.println("tcplens record: poll failed: " + TerminalText.oneLine(e.getMessage()));
                        if (writer.records() == 0) return 1;
                    }
                    if (count != null && writer.records() >= count) break;
                    next += interval.toNanos();
                    if (next >= deadline) break;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (recordedEvents != null) recordedEvents.close();
                closeQuietly(writer);
                try {
                    Runtime.getRuntime().removeShutdownHook(closer);
                } catch (IllegalStateException ignored) {
                    // shutting down already
                }
            }
            out.printf("recorded %d snapshot(s) of %s to %s (%d bytes)%s%n", writer.records(),
                    TerminalText.oneLine(src.info().label()), file, Files.size(file),
                    failures > 0 ? ", " + failures + " failed poll(s)" : "");
            return 0;
        } catch (SourceException e) {
            err.println("tcplens record: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("tcplens record: cannot write " + file + ": " + SafeFiles.reason(e));
            return 1;
        }
    }

    private int usage(PrintWriter err, String message) {
        err.println("tcplens record: " + message);
        return 2;
    }

    private static void closeQuietly(RecordingWriter w) {
        try {
            w.close();
        } catch (IOException ignored) {
            // every record was already flushed; the file stays readable without its trailer
        }
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0 && ms > 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    /** Picocli adapter for {@link Durations#parse}: a bad value is a usage error (exit code 2). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (CliException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Picocli adapter for {@link Durations#parseSpan}: a bad value is a usage error (exit code 2). */
    public static final class SpanConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parseSpan(value);
            } catch (CliException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

package io.tcplens.source.replay;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import io.tcplens.source.SourceException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --source replay:FILE}: plays a {@code .tcplens} recording. */
public final class ReplaySourceProvider implements SocketTableSourceProvider {
    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String description() {
        return "a recording made with `tcplens record` (replay:FILE)";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public int autoPriority() {
        return -1;
    }

    @Override
    public SocketTableSource create(String argument) throws SourceException {
        return new ReplaySource(open(argument), true);
    }

    /** Reads a recording for replay, turning every problem into a one-line {@link SourceException}. */
    public static Recording open(String argument) throws SourceException {
        if (argument == null || argument.isBlank())
            throw new SourceException("replay needs a file: --source replay:FILE" + RecordingWriter.EXTENSION);
        Path file;
        try {
            file = Path.of(argument);
        } catch (InvalidPathException e) {
            throw new SourceException("not a file name: " + argument);
        }
        Recording r;
        try {
            r = RecordingReader.read(file);
        } catch (NoSuchFileException e) {
            throw new SourceException("recording not found: " + file);
        } catch (RecordingFormatException e) {
            throw new SourceException(e.getMessage());
        } catch (IOException e) {
            throw new SourceException("cannot read recording " + file + ": " + e.getMessage(), e);
        }
        if (r.isEmpty())
            throw new SourceException("recording " + file + " holds no snapshots"
                    + r.stop().map(s -> " (" + s.message() + ")").orElse(""));
        return r;
    }
}

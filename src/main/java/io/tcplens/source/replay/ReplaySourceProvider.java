package io.tcplens.source.replay;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.SpecSourceProvider;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code --source replay:FILE}: plays a {@code .tcplens} recording. */
public final class ReplaySourceProvider extends SpecSourceProvider {
    public ReplaySourceProvider() {
        super("replay", () -> "a recording made with `tcplens record` (replay:FILE)");
    }

    @Override
    public SocketTableSource create(String argument) throws SourceException {
        return new ReplaySource(open(argument), true);
    }

    /** Reads a recording for replay, turning every problem into a one-line {@link SourceException}. */
    public static Recording open(String argument) throws SourceException {
        required(argument, "replay needs a file: --source replay:FILE" + RecordingWriter.EXTENSION);
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

package io.tcplens.cli;

import io.tcplens.io.SafeFiles;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Standard output (or error) that remembers its first write error — a full disk, a closed pipe —
 * so the command can stop and exit non-zero with the reason instead of reporting success over a
 * truncated output. A {@link PrintStream} target (which hides its errors) is asked after each write.
 */
final class StdStream extends FilterOutputStream {
    private final String name;
    private volatile IOException failure;

    StdStream(OutputStream out, String name) {
        super(out);
        this.name = name;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        failIfFailed();
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw fail(e);
        }
        checkPrintStream();
    }

    @Override
    public void flush() throws IOException {
        failIfFailed();
        try {
            out.flush();
        } catch (IOException e) {
            throw fail(e);
        }
        checkPrintStream();
    }

    @Override
    public void close() throws IOException {
        flush(); // never closes the process's standard stream
    }

    /** The first write error, or null. */
    IOException failure() {
        return failure;
    }

    /** "cannot write to standard output: No space left on device". */
    String describeFailure() {
        IOException f = failure;
        return f == null ? null : "cannot write to " + name + ": " + SafeFiles.reason(f);
    }

    private void failIfFailed() throws IOException {
        if (failure != null) throw failure;
    }

    private IOException fail(IOException e) {
        if (failure == null) failure = e;
        return failure;
    }

    private void checkPrintStream() throws IOException {
        if (out instanceof PrintStream ps && ps.checkError()) throw fail(new IOException("write error"));
    }
}

package io.tcplens.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writing an output file without destroying what is at its path. Only a regular file is ever
 * replaced (and only when the caller allows it); a symbolic link (it is not followed), a directory, a
 * FIFO, a socket or a device node is refused with {@link NotRegularFileException}. The new content is
 * written to a temporary file in the same folder, forced to disk, given the old file's mode, owner and
 * group, and renamed over the old file in one step: readers see the old file or the whole new one.
 * A new file gets the mode any program creating a file gets ({@code 0666} minus the umask).
 */
public final class SafeFiles {
    private SafeFiles() {}

    /** Writes the content to a stream; the stream is closed by {@link SafeFiles}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The path exists but is not a regular file: it is never replaced. */
    public static final class NotRegularFileException extends FileSystemException {
        public NotRegularFileException(Path file, String what) {
            super(file.toString(), null, "it is " + what + ", not a regular file; only regular files are replaced");
        }

        @Override
        public String getMessage() {
            return getFile() + ": " + getReason();
        }
    }

    /**
     * Looks at what is at {@code target} without following a symbolic link. Returns null when nothing
     * is there, the attributes of a regular file when {@code overwrite} allows replacing it; throws
     * {@link FileAlreadyExistsException} for a regular file without {@code overwrite} and
     * {@link NotRegularFileException} for anything else.
     */
    public static BasicFileAttributes checkTarget(Path target, boolean overwrite) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!a.isRegularFile()) throw new NotRegularFileException(target, describe(target, a));
        if (!overwrite) throw new FileAlreadyExistsException(target.toString(), null, "it exists");
        return a;
    }

    /** What a non-regular file is, in words ("a directory", "a FIFO (named pipe)", …). */
    static String describe(Path file, BasicFileAttributes a) {
        if (a.isSymbolicLink()) return "a symbolic link (not followed)";
        if (a.isDirectory()) return "a directory";
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            switch (type) {
                case 0010000: return "a FIFO (named pipe)";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: break;
            }
        } catch (IOException | RuntimeException e) {
            // not a Unix file system: say it generally
        }
        return "a device, FIFO or socket";
    }

    /** Writes {@code target} as described in the class comment. */
    public static void write(Path target, boolean overwrite, Content content) throws IOException {
        try (Replacement r = begin(target, overwrite)) {
            content.writeTo(r.stream());
            r.commit();
        }
    }

    /**
     * Starts writing {@code target}: the returned replacement's stream goes to a temporary file that
     * {@link Replacement#commit()} puts in place (keeping the old file's mode and owner). The stream
     * stays usable after the commit, writing to the file now at {@code target} (a recorder commits
     * after the header and goes on appending). Closing before the commit deletes the temporary file.
     */
    public static Replacement begin(Path target, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        checkTarget(abs, overwrite);
        Path dir = abs.getParent();
        if (dir == null) throw new FileSystemException(abs.toString(), null, "not a file name");
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) throw new FileSystemException(null, null, "not a folder: " + dir);
            throw new NoSuchFileException(null, null, "no such folder: " + dir);
        }
        String name = abs.getFileName().toString();
        String prefix = "." + (name.length() > 100 ? name.substring(0, 100) : name) + ".";
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
            FileChannel ch;
            try {
                // no attributes given: the mode is 0666 minus the umask, like any new file
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 10) continue;
                throw e;
            } catch (AccessDeniedException e) {
                throw new AccessDeniedException(null, null, "permission denied (cannot create a file in " + dir + ")");
            }
            return new Replacement(abs, tmp, ch, overwrite);
        }
    }

    /** A file being written to a temporary name; see {@link #begin}. */
    public static final class Replacement implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final FileChannel channel;
        private final OutputStream stream;
        private final boolean overwrite;
        private boolean committed;
        private boolean closed;

        Replacement(Path target, Path tmp, FileChannel channel, boolean overwrite) {
            this.target = target;
            this.tmp = tmp;
            this.channel = channel;
            this.overwrite = overwrite;
            this.stream = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024) {
                @Override
                public void close() throws IOException {
                    flush(); // the channel is closed by the replacement
                }
            };
        }

        public OutputStream stream() {
            return stream;
        }

        public Path target() {
            return target;
        }

        /** Forces what was written to disk and puts the file in place of {@code target}. */
        public void commit() throws IOException {
            if (committed) return;
            stream.flush();
            channel.force(true);
            // looked at again just before the rename: something put there meanwhile is not replaced either
            BasicFileAttributes old = checkTarget(target, overwrite);
            if (old != null) keepModeAndOwner(target, tmp);
            if (old == null) {
                try {
                    // a hard link fails if the name was taken meanwhile: never replaces anything
                    Files.createLink(target, tmp);
                    Files.delete(tmp);
                } catch (UnsupportedOperationException | FileSystemException e) {
                    if (e instanceof FileAlreadyExistsException) throw e;
                    Files.move(tmp, target);
                }
            } else {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            committed = true;
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            try {
                stream.flush();
            } finally {
                try {
                    channel.close();
                } finally {
                    if (!committed) Files.deleteIfExists(tmp);
                }
            }
        }
    }

    private static void keepModeAndOwner(Path from, Path to) throws IOException {
        PosixFileAttributeView src = Files.getFileAttributeView(from, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributeView dst = Files.getFileAttributeView(to, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (src == null || dst == null) return; // not a POSIX file system (Windows): nothing to keep
        PosixFileAttributes a = src.readAttributes();
        PosixFileAttributes mine = dst.readAttributes();
        try {
            if (!Objects.equals(a.group(), mine.group())) dst.setGroup(a.group());
            if (!Objects.equals(a.owner(), mine.owner())) dst.setOwner(a.owner());
        } catch (IOException e) {
            throw new FileSystemException(from.toString(), null, "cannot keep its owner " + a.owner().getName()
                    + ":" + a.group().getName() + " (" + reason(e) + "); it was left unchanged");
        }
        dst.setPermissions(a.permissions());
    }

    /** Why a file operation failed, in words a user understands ("permission denied", "no such folder", …). */
    public static String reason(IOException e) {
        if (e instanceof NotRegularFileException n) return n.getReason();
        if (e instanceof AccessDeniedException a)
            return a.getReason() != null ? a.getReason() : "permission denied";
        if (e instanceof NoSuchFileException n)
            return n.getReason() != null ? n.getReason() : "no such file or folder: " + n.getFile();
        if (e instanceof FileAlreadyExistsException f) return f.getReason() != null ? f.getReason() : "it exists";
        if (e instanceof NotDirectoryException n) return n.getFile() + " is not a folder";
        if (e instanceof DirectoryNotEmptyException) return "it is a directory that is not empty";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}

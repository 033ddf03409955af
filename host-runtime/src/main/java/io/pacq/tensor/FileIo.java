package io.pacq.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** File plumbing shared by the readers and writers: opening with clear errors, positional reads. */
final class FileIo {
    private FileIo() {}

    /** Opens a file for reading; a missing file or a directory gives an error naming the path. */
    static FileChannel openRead(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, expected a tensor file");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            NoSuchFileException clear = new NoSuchFileException(file.toString(), null, "no such file");
            clear.initCause(e);
            throw clear;
        } catch (AccessDeniedException e) {
            AccessDeniedException clear = new AccessDeniedException(file.toString(), null, "permission denied");
            clear.initCause(e);
            throw clear;
        }
    }

    /**
     * Reads exactly length bytes at position into a new array. The caller has already checked
     * position + length against the file size; a file that shrank meanwhile is reported as
     * truncated.
     */
    static byte[] readFully(FileChannel ch, Path file, String tensor, long position, int length) throws IOException {
        byte[] out = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(out);
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new TensorFormatException(file, tensor, "data", "file truncated: ended at byte " + pos
                        + ", expected " + length + " bytes from offset " + position);
            }
            pos += r;
        }
        return out;
    }

    /**
     * Writes a file through a temporary sibling and a rename, so a failed write never leaves a
     * half-written file under the target name.
     */
    static void writeAtomically(Path file, ByteBuffer... parts) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(file.toString(), null, "cannot write: directory " + dir + " does not exist");
        }
        // A unique sibling created with the default permissions (unlike createTempFile's 0600).
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                for (ByteBuffer p : parts) {
                    while (p.hasRemaining()) {
                        ch.write(p);
                    }
                }
                ch.force(false);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

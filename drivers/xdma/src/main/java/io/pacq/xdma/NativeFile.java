package io.pacq.xdma;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * One open file descriptor on an XDMA node (or, in tests, a regular file or FIFO standing for
 * one), with the calls the link makes on it. Every failure becomes a typed
 * {@link XdmaException} naming the node, the errno and what to do.
 *
 * <p>Not thread-safe by itself: positional calls ({@code pread}/{@code pwrite}) on one
 * descriptor may run concurrently, but {@link #close()} must not race with any call; the owner
 * ({@link XdmaLink}) guarantees that.
 */
final class NativeFile implements AutoCloseable {
    final String path;
    final Errno.Node node;
    private final int fd;
    private boolean closed;

    private NativeFile(String path, Errno.Node node, int fd) {
        this.path = path;
        this.node = node;
        this.fd = fd;
    }

    /**
     * Opens a node ({@code O_CLOEXEC} is always added; EINTR is retried).
     *
     * @param flags {@link LibC#O_RDONLY}, {@link LibC#O_WRONLY} or {@link LibC#O_RDWR}, optionally
     *              with {@link LibC#O_NONBLOCK}
     */
    static NativeFile open(String path, int flags, Errno.Node node) {
        LibC.ensureAvailable();
        while (true) {
            int fd = LibC.open(path, flags | LibC.O_CLOEXEC);
            if (fd >= 0) {
                return new NativeFile(path, node, fd);
            }
            int err = Native.getLastError();
            if (err != Errno.EINTR) {
                throw Errno.exception(err, "open", node, path, null);
            }
        }
    }

    /** The raw descriptor, for tests. */
    int fd() {
        return fd;
    }

    /**
     * Reads exactly {@code count} bytes at {@code offset} into native memory. A short count is an
     * error: the XDMA driver returns a partial count only when a later part of the transfer failed
     * or timed out ({@code xdma_xfer_submit}: "as long as some data is processed, return the
     * count"), and a regular file only at its end.
     */
    void preadFully(Pointer buf, long count, long offset, String what) {
        long n;
        do {
            n = LibC.pread(fd, buf, count, offset);
        } while (n < 0 && Native.getLastError() == Errno.EINTR);
        if (n < 0) {
            throw Errno.exception(Native.getLastError(), "pread", node, path, what);
        }
        if (n != count) {
            throw shortTransfer("read", n, count, offset, what);
        }
    }

    /** Writes exactly {@code count} bytes from native memory at {@code offset}; see {@link #preadFully}. */
    void pwriteFully(Pointer buf, long count, long offset, String what) {
        long n;
        do {
            n = LibC.pwrite(fd, buf, count, offset);
        } while (n < 0 && Native.getLastError() == Errno.EINTR);
        if (n < 0) {
            throw Errno.exception(Native.getLastError(), "pwrite", node, path, what);
        }
        if (n != count) {
            throw shortTransfer("write", n, count, offset, what);
        }
    }

    private XdmaException shortTransfer(String dir, long got, long wanted, long offset, String what) {
        return new XdmaException(0, path, "short " + dir + " on " + path + " (" + what + "): " + got + " of "
                + wanted + " bytes at offset 0x" + Long.toHexString(offset) + "; the XDMA driver returns a partial "
                + "count when part of a transfer failed or timed out (check `dmesg | grep -i xdma`; the card may "
                + "need a reset, see docs/board-bringup.md), a regular file when it ends before the offset");
    }

    /**
     * Reads up to {@code count} bytes at the current position.
     *
     * @return bytes read, 0 at end of file, -1 when the call would block or was interrupted
     */
    long read(Pointer buf, long count) {
        long n = LibC.read(fd, buf, count);
        if (n < 0) {
            int err = Native.getLastError();
            if (err == Errno.EAGAIN || err == Errno.EINTR) {
                return -1;
            }
            throw Errno.exception(err, "read", node, path, null);
        }
        return n;
    }

    /** Writes exactly {@code count} bytes at the current position (tests: the rig's FIFO). */
    void writeFully(Pointer buf, long count) {
        long n;
        do {
            n = LibC.write(fd, buf, count);
        } while (n < 0 && Native.getLastError() == Errno.EINTR);
        if (n < 0) {
            throw Errno.exception(Native.getLastError(), "write", node, path, null);
        }
        if (n != count) {
            throw new XdmaException(0, path, "short write on " + path + ": " + n + " of " + count + " bytes");
        }
    }

    /**
     * Waits until the descriptor is readable or the timeout passes.
     *
     * @param pollfd        8 bytes of native memory for {@code struct pollfd}, owned by the caller
     * @param timeoutMillis 0 polls, &gt; 0 waits at most that long
     * @return the {@code revents} bits, 0 on timeout or when a signal interrupted the wait
     */
    int pollIn(Pointer pollfd, int timeoutMillis) {
        pollfd.setInt(0, fd);
        pollfd.setShort(4, LibC.POLLIN);
        pollfd.setShort(6, (short) 0);
        int r = LibC.poll(pollfd, 1, timeoutMillis);
        if (r < 0) {
            int err = Native.getLastError();
            if (err == Errno.EINTR) {
                return 0;
            }
            throw Errno.exception(err, "poll", node, path, null);
        }
        return r == 0 ? 0 : pollfd.getShort(6) & 0xFFFF;
    }

    /** Maps {@code length} bytes at offset 0 with MAP_SHARED. */
    Pointer mmap(long length, int prot) {
        Pointer p = LibC.mmap(null, length, prot, LibC.MAP_SHARED, fd, 0);
        if (p == null || Pointer.nativeValue(p) == LibC.MAP_FAILED) {
            throw Errno.exception(Native.getLastError(), "mmap", node, path, length + " bytes");
        }
        return p;
    }

    /**
     * Takes an advisory lock ({@code flock}) without blocking.
     *
     * @param exclusive exclusive (driving the device) or shared (looking at it)
     * @return false when another open file description holds a conflicting lock
     */
    boolean tryLock(boolean exclusive) {
        int r = LibC.flock(fd, (exclusive ? LibC.LOCK_EX : LibC.LOCK_SH) | LibC.LOCK_NB);
        if (r == 0) {
            return true;
        }
        int err = Native.getLastError();
        if (err == Errno.EAGAIN) {
            return false;
        }
        throw Errno.exception(err, "flock", node, path, null);
    }

    /** Closes the descriptor. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd); // the descriptor is gone whatever close returns (Linux close(2))
        }
    }

    @Override
    public String toString() {
        return path;
    }
}

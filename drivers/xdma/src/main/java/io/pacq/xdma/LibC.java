package io.pacq.xdma;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.pacq.LinkException;

/**
 * The few libc calls the XDMA link needs, bound with JNA direct mapping (no C code of ours).
 * Linux on a 64-bit CPU only: {@code size_t}, {@code ssize_t} and {@code off_t} are Java
 * {@code long}s. Constants are the Linux values shared by x86-64 and AArch64 (asm-generic).
 *
 * <p>Errors: the calls return -1 (or {@code MAP_FAILED}) and leave errno in
 * {@link Native#getLastError()}, which JNA saves right after each call on the calling thread. No
 * method declares {@code LastErrorException}, because JNA then throws whenever errno is non-zero
 * after the call, even when the call succeeded.
 */
final class LibC {
    private LibC() {}

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final long MAP_FAILED = -1L;

    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    /** sizeof(struct pollfd): int fd; short events; short revents. */
    static final int POLLFD_BYTES = 8;

    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;

    /** Why the binding is unusable on this machine, or null once it loaded. */
    private static final String UNAVAILABLE;

    static {
        String why = null;
        if (!Platform.isLinux()) {
            why = "the XDMA driver exists only for Linux; this is " + System.getProperty("os.name");
        } else if (Native.LONG_SIZE != 8 || Native.POINTER_SIZE != 8) {
            why = "the XDMA link needs a 64-bit JVM on a 64-bit Linux";
        } else {
            try {
                Native.register(LibC.class, Platform.C_LIBRARY_NAME);
            } catch (LinkageError e) {
                why = "JNA could not bind libc (" + e.getMessage() + ")";
            }
        }
        UNAVAILABLE = why;
    }

    /** Throws a {@link LinkException} saying why the binding cannot be used here. */
    static void ensureAvailable() {
        if (UNAVAILABLE != null) {
            throw new LinkException("cannot use XDMA devices: " + UNAVAILABLE);
        }
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native long pread(int fd, Pointer buf, long count, long offset);

    static native long pwrite(int fd, Pointer buf, long count, long offset);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native int poll(Pointer fds, long nfds, int timeoutMillis);

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer addr, long length);

    static native int flock(int fd, int operation);

    static native int mkfifo(String path, int mode);

    static native int ftruncate(int fd, long length);

    static native String strerror(int errnum);
}

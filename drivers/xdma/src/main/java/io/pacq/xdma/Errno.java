package io.pacq.xdma;

import java.util.Map;

/**
 * Turns an errno from a call on an XDMA node into a typed exception whose message says what
 * happened and what to do. Values are Linux's (asm-generic, shared by x86-64 and AArch64), plus
 * the kernel-internal codes the XDMA driver is known to leak to user space: ERESTARTSYS (512) is
 * what {@code xdma_xfer_submit} returns when a transfer is still pending after
 * {@code h2c_timeout_ms}/{@code c2h_timeout_ms}; glibc's strerror calls it "Unknown error 512".
 *
 * <p>Stateless, thread-safe.
 */
final class Errno {
    private Errno() {}

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int ESPIPE = 29;
    static final int EROFS = 30;
    static final int EPROTO = 71;
    static final int EOVERFLOW = 75;
    static final int ETIMEDOUT = 110;
    static final int ERESTARTSYS = 512;
    static final int ERESTARTNOINTR = 513;
    static final int ERESTARTNOHAND = 514;
    static final int ERESTART_RESTARTBLOCK = 516;
    static final int ENOTSUPP = 524;
    static final int EIOCBQUEUED = 529;

    /** Name and plain-words meaning of the codes worth naming. */
    private static final Map<Integer, String[]> KNOWN = Map.ofEntries(
            Map.entry(EPERM, new String[] {"EPERM", "operation not permitted"}),
            Map.entry(ENOENT, new String[] {"ENOENT", "no such file or directory"}),
            Map.entry(EINTR, new String[] {"EINTR", "interrupted by a signal"}),
            Map.entry(EIO, new String[] {"EIO", "input/output error"}),
            Map.entry(ENXIO, new String[] {"ENXIO", "no such device or address"}),
            Map.entry(EBADF, new String[] {"EBADF", "bad file descriptor"}),
            Map.entry(EAGAIN, new String[] {"EAGAIN", "resource temporarily unavailable"}),
            Map.entry(ENOMEM, new String[] {"ENOMEM", "out of memory"}),
            Map.entry(EACCES, new String[] {"EACCES", "permission denied"}),
            Map.entry(EFAULT, new String[] {"EFAULT", "bad address"}),
            Map.entry(EBUSY, new String[] {"EBUSY", "device or resource busy"}),
            Map.entry(ENODEV, new String[] {"ENODEV", "no such device"}),
            Map.entry(EISDIR, new String[] {"EISDIR", "is a directory"}),
            Map.entry(EINVAL, new String[] {"EINVAL", "invalid argument"}),
            Map.entry(ENOTTY, new String[] {"ENOTTY", "inappropriate ioctl for device"}),
            Map.entry(ESPIPE, new String[] {"ESPIPE", "illegal seek (not a positional file)"}),
            Map.entry(EROFS, new String[] {"EROFS", "read-only file system"}),
            Map.entry(EPROTO, new String[] {"EPROTO", "protocol error"}),
            Map.entry(EOVERFLOW, new String[] {"EOVERFLOW", "value too large"}),
            Map.entry(ETIMEDOUT, new String[] {"ETIMEDOUT", "timed out"}),
            Map.entry(ERESTARTSYS, new String[] {"ERESTARTSYS", "the driver gave up waiting (kernel-internal code)"}),
            Map.entry(ERESTARTNOINTR, new String[] {"ERESTARTNOINTR", "kernel-internal restart code"}),
            Map.entry(ERESTARTNOHAND, new String[] {"ERESTARTNOHAND", "kernel-internal restart code"}),
            Map.entry(ERESTART_RESTARTBLOCK, new String[] {"ERESTART_RESTARTBLOCK", "kernel-internal restart code"}),
            Map.entry(ENOTSUPP, new String[] {"ENOTSUPP", "operation not supported (kernel-internal code)"}),
            Map.entry(EIOCBQUEUED, new String[] {"EIOCBQUEUED", "asynchronous I/O queued (kernel-internal code)"}));

    /** What kind of XDMA node a call was made on; the advice depends on it. */
    enum Node {
        /** {@code xdmaN_user}: the PacQ register window (user BAR). */
        USER,
        /** {@code xdmaN_h2c_C}: host-to-card DMA channel. */
        H2C,
        /** {@code xdmaN_c2h_C}: card-to-host DMA channel. */
        C2H,
        /** {@code xdmaN_events_I}: user interrupt I. */
        EVENTS
    }

    /** Symbolic name, e.g. "ENOENT"; "errno N" for codes without one; "none" for 0. */
    static String name(int errno) {
        if (errno == 0) {
            return "none";
        }
        String[] k = KNOWN.get(errno);
        return k != null ? k[0] : "errno " + errno;
    }

    /** Plain-words meaning; never glibc's "Unknown error N". */
    static String meaning(int errno) {
        String[] k = KNOWN.get(errno);
        if (k != null) {
            return k[1];
        }
        try {
            String s = LibC.strerror(errno);
            if (s != null && !s.isBlank() && !s.startsWith("Unknown error")) {
                return s.toLowerCase(java.util.Locale.ROOT);
            }
        } catch (LinkageError | RuntimeException ignored) {
            // libc not bound on this machine: the number alone must do
        }
        return "error code " + errno + " without a standard meaning";
    }

    /** What to do about an errno from {@code op} on a node of the given kind. */
    static String advice(int errno, String op, Node node, String path) {
        String device = devicePrefix(path);
        return switch (errno) {
            case ENOENT -> "the XDMA driver is not loaded or there is no such device: check `lsmod | grep xdma` "
                    + "(load it with `sudo modprobe xdma`), `ls " + device + "*` and `lspci -d 10ee:`; "
                    + "see docs/board-bringup.md";
            case ENODEV, ENXIO -> "the node exists but no device answers behind it: the card was removed, the "
                    + "driver was unbound or the PCIe function is in reset; check `dmesg | grep -i xdma`, then "
                    + "reload the driver (`sudo rmmod xdma && sudo modprobe xdma`)";
            case EACCES, EPERM -> op.equals("mmap")
                    ? "the register window cannot be mapped with these rights: the node must be opened read-write "
                    + "and the kernel may forbid mapping PCIe BARs (e.g. lockdown mode); use ?regs=pread "
                    + "to access registers with pread/pwrite instead"
                    : "this user may not use " + path + ": install the udev rule from docs/board-bringup.md "
                    + "(group 'pacq', mode 0660) and add the user to that group, or run as root";
            case ETIMEDOUT, ERESTARTSYS -> "transfer timed out in the XDMA driver (module parameters h2c_timeout_ms/"
                    + "c2h_timeout_ms, default 10 s): the card's DMA path is stuck; the card may need a reset "
                    + "(see docs/board-bringup.md, 'The card stays dead')";
            case EIO -> node == Node.H2C || node == Node.C2H
                    ? "the DMA engine reported a failed transfer: the card address may be outside the card's "
                    + "memory or the AXI side returned an error; check `dmesg | grep -i xdma`"
                    : "the device reported an I/O error; check `dmesg | grep -i xdma`";
            case EINVAL -> switch (node) {
                case H2C, C2H -> "the driver rejected the transfer (buffer and card address misaligned, "
                        + "wrong direction, or a channel the bitstream does not have); check `dmesg | grep -i xdma`";
                case USER -> op.equals("mmap")
                        ? "the user BAR is smaller than the PacQ register window; the bitstream's PCIe BAR setup "
                        + "does not match the PacQ design"
                        : "the driver rejected the register access; check `dmesg | grep -i xdma`";
                case EVENTS -> "the events node has no user interrupt behind it; check the bitstream's "
                        + "number of user interrupts";
            };
            case EPROTO -> "the driver needs 4-byte aligned, 4-byte accesses on this node";
            case EBUSY -> op.equals("flock")
                    ? "another process is using this device; stop it (see `fuser -v " + path + "`)"
                    : "the XDMA device is offline or busy; reload the driver";
            case EAGAIN -> op.equals("flock")
                    ? "another process is using this device; stop it (see `fuser -v " + path + "`)"
                    : "the call would block; try again";
            case EFAULT -> "the driver could not pin the host buffer";
            case ENOMEM -> "the kernel is out of memory for DMA mappings";
            case ESPIPE -> path + " is a pipe or socket, not a device node";
            case EISDIR -> path + " is a directory, not a device node";
            case EINTR -> "interrupted by a signal; try again";
            default -> "check `dmesg | grep -i xdma` and docs/board-bringup.md";
        };
    }

    /** The typed exception for an errno from {@code op} on {@code path}. */
    static XdmaException exception(int errno, String op, Node node, String path, String detail) {
        String msg = op + " " + path + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")") + ": "
                + meaning(errno) + " (" + name(errno) + ", errno " + errno + "); " + advice(errno, op, node, path);
        return switch (errno) {
            case ENOENT, ENODEV, ENXIO -> new XdmaNoDeviceException(errno, path, msg);
            case EACCES, EPERM -> new XdmaPermissionException(errno, path, msg);
            case ETIMEDOUT, ERESTARTSYS -> new XdmaTimeoutException(errno, path, msg);
            default -> new XdmaException(errno, path, msg);
        };
    }

    /** "/dev/xdma0" for "/dev/xdma0_h2c_1": the device's node prefix. */
    static String devicePrefix(String path) {
        int slash = path.lastIndexOf('/');
        int us = path.indexOf('_', slash + 1);
        return us > 0 ? path.substring(0, us) : path;
    }
}

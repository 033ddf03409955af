package io.pacq.xdma;

import io.pacq.LinkException;
import io.pacq.link.Link;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@link Link} to a PacQ bitstream behind the Xilinx XDMA driver's character devices:
 *
 * <pre>
 *   prefix_user        registers (user BAR): mmap, or 4-byte pread/pwrite     RegisterWindow
 *   prefix_h2c_0..3    host-to-card DMA: pwrite at offset = card address      DmaChannels
 *   prefix_c2h_0..3    card-to-host DMA: pread at offset = card address       DmaChannels
 *   prefix_events_I    user interrupt I: poll + 4-byte read                   InterruptSource.Events
 *                      (absent: status-register polling)                      InterruptSource.Polled
 * </pre>
 *
 * where prefix is e.g. {@code /dev/xdma0}. The user node is held with an exclusive {@code flock}
 * while the link is open, so a second process (or a second open in this one) is refused instead
 * of reprogramming the ring under the first.
 *
 * <p>Thread-safety: as {@link Link} requires, and more: every call may come from any thread.
 * {@link #close()} waits for calls in progress (a DMA call for at most the driver's timeout, an
 * interrupt wait for at most {@link InterruptSource#SLICE_MILLIS}) and makes later calls fail, so
 * that no call touches an unmapped window or a closed descriptor.
 */
final class XdmaLink implements Link {
    private static final Logger log = LoggerFactory.getLogger(XdmaLink.class);

    /** XDMA_CHANNEL_NUM_MAX in the driver: at most 4 channels per direction. */
    static final int MAX_CHANNELS = 4;
    /** The driver creates at most 16 user-interrupt event nodes. */
    static final int MAX_EVENTS = 16;

    /** How to reach the registers. */
    enum Regs { AUTO, MMAP, PREAD }

    /** How to learn about interrupts. */
    enum Irq { AUTO, EVENTS, POLL }

    /**
     * What to open.
     *
     * @param prefix      node prefix, e.g. "/dev/xdma0"
     * @param regs        register access: AUTO maps and falls back to pread/pwrite when mapping fails
     * @param irq         interrupts: AUTO uses the events node when it exists, else polls
     * @param eventIndex  which user interrupt (events node) the bitstream raises, 0..15
     * @param maxChannels channels per direction to use at most, 1..4
     * @param chunkBytes  largest single DMA call, bytes (see {@link DmaChannels})
     */
    record Config(String prefix, Regs regs, Irq irq, int eventIndex, int maxChannels, long chunkBytes) {
        Config {
            if (maxChannels < 1 || maxChannels > MAX_CHANNELS) {
                throw new IllegalArgumentException("channels must be 1.." + MAX_CHANNELS + ", got " + maxChannels);
            }
            if (eventIndex < 0 || eventIndex >= MAX_EVENTS) {
                throw new IllegalArgumentException("events must be 0.." + (MAX_EVENTS - 1) + ", got " + eventIndex);
            }
        }

        /** Defaults for a prefix: AUTO everything, event 0, all channels, 8 MiB chunks. */
        static Config of(String prefix) {
            return new Config(prefix, Regs.AUTO, Irq.AUTO, 0, MAX_CHANNELS, DmaChannels.DEFAULT_CHUNK_BYTES);
        }

        String user() {
            return prefix + "_user";
        }

        String h2c(int c) {
            return prefix + "_h2c_" + c;
        }

        String c2h(int c) {
            return prefix + "_c2h_" + c;
        }

        String events(int i) {
            return prefix + "_events_" + i;
        }
    }

    private final Config config;
    private final NativeFile user;
    private final RegisterWindow regs;
    private final DmaChannels dma;
    private final InterruptSource irq;
    private final String description;
    private final String advice;
    private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
    private boolean closed; // written under the write lock, read under the read lock

    private XdmaLink(Config config, NativeFile user, RegisterWindow regs, DmaChannels dma, InterruptSource irq) {
        this.config = config;
        this.user = user;
        this.regs = regs;
        this.dma = dma;
        this.irq = irq;
        this.description = config.prefix() + " (XDMA: " + dma.h2cChannels() + " H2C + " + dma.c2hChannels()
                + " C2H channel(s), registers via " + regs.kind() + ", " + irq.describe() + ")";
        this.advice = recoveryAdvice(config.prefix());
    }

    /**
     * Opens every node of a device. Fails with a typed {@link XdmaException} naming the node and
     * what to do; closes what it opened when it fails.
     */
    static XdmaLink open(Config c) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            NativeFile user = NativeFile.open(c.user(), LibC.O_RDWR, Errno.Node.USER);
            opened.add(user);
            if (!user.tryLock(true)) {
                throw new XdmaException(Errno.EAGAIN, user.path, "device " + c.prefix() + " is in use by another "
                        + "process (or by another open device in this one), which holds " + user.path + "; stop it "
                        + "(`fuser -v " + user.path + "` shows who)");
            }
            RegisterWindow regs = openRegisters(c, user);
            opened.add(regs);
            List<NativeFile> h2c = openChannels(c, true, opened);
            List<NativeFile> c2h = openChannels(c, false, opened);
            DmaChannels dma = new DmaChannels(h2c, c2h, c.chunkBytes());
            opened.removeAll(h2c);
            opened.removeAll(c2h);
            opened.add(dma);
            InterruptSource irq = openInterrupts(c, regs);
            XdmaLink link = new XdmaLink(c, user, regs, dma, irq);
            log.debug("opened {}", link.description);
            return link;
        } catch (RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static RegisterWindow openRegisters(Config c, NativeFile user) {
        return switch (c.regs()) {
            case MMAP -> new RegisterWindow.Mapped(user, true);
            case PREAD -> new RegisterWindow.Pread(user);
            case AUTO -> {
                try {
                    yield new RegisterWindow.Mapped(user, true);
                } catch (XdmaException e) {
                    log.warn("{}: cannot map the register window ({}); using pread/pwrite per register access",
                            user.path, e.getMessage());
                    yield new RegisterWindow.Pread(user);
                }
            }
        };
    }

    private static List<NativeFile> openChannels(Config c, boolean toCard, List<AutoCloseable> opened) {
        List<NativeFile> out = new ArrayList<>();
        for (int ch = 0; ch < c.maxChannels(); ch++) {
            String path = toCard ? c.h2c(ch) : c.c2h(ch);
            if (ch > 0 && !Files.exists(Path.of(path))) {
                break; // the bitstream has fewer channels; channel 0 must exist (opened below, errno on failure)
            }
            NativeFile f = NativeFile.open(path, toCard ? LibC.O_WRONLY : LibC.O_RDONLY,
                    toCard ? Errno.Node.H2C : Errno.Node.C2H);
            opened.add(f);
            out.add(f);
        }
        return out;
    }

    private static InterruptSource openInterrupts(Config c, RegisterWindow regs) {
        String path = c.events(c.eventIndex());
        return switch (c.irq()) {
            case POLL -> new InterruptSource.Polled(regs, "irq=poll");
            case EVENTS -> new InterruptSource.Events(NativeFile.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK,
                    Errno.Node.EVENTS));
            case AUTO -> {
                if (Files.exists(Path.of(path))) {
                    yield new InterruptSource.Events(NativeFile.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK,
                            Errno.Node.EVENTS));
                }
                log.warn("{} does not exist: polling the status registers instead of waiting for interrupts "
                        + "(more latency and CPU); check the events=I parameter and the bitstream's user interrupts",
                        path);
                yield new InterruptSource.Polled(regs, "no " + path);
            }
        };
    }

    /**
     * How to bring back a card that ignores the soft reset: reset its PCIe function through sysfs,
     * naming the function when {@code /sys/class/xdma/<node>/device} resolves to it.
     */
    static String recoveryAdvice(String prefix) {
        String bdf = pciAddress(prefix);
        String dev = "/sys/bus/pci/devices/" + (bdf != null ? bdf : "<BDF>");
        return "the card ignores its soft reset; reset its PCIe function"
                + (bdf == null ? " (find <BDF>, e.g. 0000:03:00.0, with `lspci -D -d 10ee:`)" : " " + bdf)
                + ": `echo 1 | sudo tee " + dev + "/reset`; if the device nodes fail afterwards, remove and rescan "
                + "it (`echo 1 | sudo tee " + dev + "/remove; echo 1 | sudo tee /sys/bus/pci/rescan`) and reload "
                + "the driver (`sudo rmmod xdma && sudo modprobe xdma`); if the card is still dead, reprogram the "
                + "bitstream and reboot (see docs/board-bringup.md, 'The card stays dead')";
    }

    /** The PCI address (e.g. "0000:03:00.0") of the function behind a node prefix, or null. */
    static String pciAddress(String prefix) {
        try {
            Path name = Path.of(prefix).getFileName();
            if (name == null) {
                return null;
            }
            Path dev = Path.of("/sys/class/xdma", name + "_user", "device");
            if (!Files.exists(dev)) {
                return null;
            }
            String bdf = dev.toRealPath().getFileName().toString();
            return bdf.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]") ? bdf : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The configuration it was opened with. */
    Config config() {
        return config;
    }

    /** Host-to-card channels in use. */
    int h2cChannels() {
        return dma.h2cChannels();
    }

    /** Card-to-host channels in use. */
    int c2hChannels() {
        return dma.c2hChannels();
    }

    /** True when registers are mapped (not pread/pwrite). */
    boolean mapped() {
        return regs instanceof RegisterWindow.Mapped;
    }

    /** True when interrupts come from an events node (not polling). */
    boolean eventDriven() {
        return irq instanceof InterruptSource.Events;
    }

    private void enter() {
        guard.readLock().lock();
        if (closed) {
            guard.readLock().unlock();
            throw new LinkException("the XDMA link to " + config.prefix() + " is closed");
        }
    }

    private void exit() {
        guard.readLock().unlock();
    }

    @Override
    public int readReg(int offset) {
        enter();
        try {
            return regs.read(offset);
        } finally {
            exit();
        }
    }

    @Override
    public void writeReg(int offset, int value) {
        enter();
        try {
            regs.write(offset, value);
        } finally {
            exit();
        }
    }

    @Override
    public void writeMem(long address, ByteBuffer src) {
        enter();
        try {
            dma.write(address, src);
        } finally {
            exit();
        }
    }

    @Override
    public void readMem(long address, ByteBuffer dst) {
        enter();
        try {
            dma.read(address, dst);
        } finally {
            exit();
        }
    }

    @Override
    public boolean awaitInterrupt(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        long slice = TimeUnit.MILLISECONDS.toNanos(InterruptSource.SLICE_MILLIS);
        while (true) {
            long left = Math.max(0, deadline - System.nanoTime());
            guard.readLock().lock();
            try {
                if (closed) {
                    return false;
                }
                if (irq.await(Math.min(left, slice))) {
                    return true;
                }
            } finally {
                guard.readLock().unlock();
            }
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String recoveryAdvice() {
        return advice;
    }

    /** Waits for calls in progress, then closes every node and unmaps the registers. Idempotent. */
    @Override
    public void close() {
        guard.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            irq.close();
            dma.close();
            regs.close();
            user.close(); // releases the flock
        } finally {
            guard.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "XdmaLink[" + description + "]";
    }
}

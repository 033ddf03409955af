package io.pacq.xdma;

import com.sun.jna.Memory;
import io.pacq.abi.Abi;
import io.pacq.emu.EmuDevice;
import io.pacq.emu.GemmCommand;
import io.pacq.emu.PlainGemmEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * TEST RIG, not product code: "XDMA over files". A directory that looks like the XDMA driver's
 * nodes, served by the emulator's device model, so that {@code xdma:<dir>/xdma0} runs the real
 * JNA link end to end without a board.
 *
 * <pre>
 *   dir/xdma0_user          4 KiB register file; the link maps it (or preads it), so does the rig
 *   dir/card-memory.bin     card memory (sparse); the link preads/pwrites it at card addresses
 *   dir/xdma0_h2c_C  -&gt; card-memory.bin       (symbolic links, C &lt; channels)
 *   dir/xdma0_c2h_C  -&gt; card-memory.bin
 *   dir/xdma0_events_0      a FIFO; the rig writes a 4-byte event word per device interrupt
 *
 *   bridge thread:  register file --host writes--&gt; EmuDevice.writeReg
 *                   EmuDevice.readReg --publish (compare-and-set)--&gt; register file
 *                   doorbell: descriptor + operands card-memory.bin --&gt; EmuDevice.memory()
 *                   completion: record + output EmuDevice.memory() --&gt; card-memory.bin,
 *                               then CPL_COUNT published, then the event written
 * </pre>
 *
 * A host write is seen as a register whose file value differs from what the rig last published;
 * a write of the value already shown is invisible (harmless for the ABI: IRQ_STATUS is
 * write-1-to-clear and the driver logic does not depend on it, and every other host-written
 * register changes value when it matters). SQ_TAIL is sampled before the other registers so that
 * everything the host wrote before its doorbell is forwarded first. The file value of CPL_COUNT is
 * the count whose records are already in card-memory.bin, never ahead of it.
 *
 * <p>Faults: {@link #device()} offers the model's injection (hang, stuck reset, transfer
 * failures); {@link #override} pins a register's published value (ABI version, dead card).
 */
final class XdmaFileRig implements AutoCloseable {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Registers the host writes (SQ_TAIL is handled on its own, last). */
    private static final int[] HOST_WRITTEN = {Abi.Reg.CTRL, Abi.Reg.RING_BASE_LO, Abi.Reg.RING_BASE_HI,
        Abi.Reg.RING_ENTRIES, Abi.Reg.CPL_BASE_LO, Abi.Reg.CPL_BASE_HI, Abi.Reg.IRQ_STATUS, Abi.Reg.SCRATCH};
    private static final int MAX_RING = 1024;
    private static final int COPY_BYTES = 1 << 20;

    /**
     * How the rig looks.
     *
     * @param memBytes    card memory, a multiple of 1 MiB, at least 16 MiB
     * @param channels    h2c and c2h channel nodes, 1..4
     * @param events      whether to create the events FIFO (else the link must poll)
     * @param pollNanos   how long the bridge sleeps when idle
     */
    record Options(long memBytes, int channels, boolean events, long pollNanos) {
        static Options defaults() {
            return new Options(64L << 20, 1, true, 20_000);
        }

        Options withChannels(int c) {
            return new Options(memBytes, c, events, pollNanos);
        }

        Options withEvents(boolean e) {
            return new Options(memBytes, channels, e, pollNanos);
        }

        Options withMemBytes(long m) {
            return new Options(m, channels, events, pollNanos);
        }
    }

    private final Path dir;
    private final Options options;
    private final EmuDevice device;
    private final FileChannel regFile;
    private final MappedByteBuffer regs;
    private final FileChannel memFile;
    private final NativeFile fifo;
    private final Memory eventWord = new Memory(4);
    private final int[] shown = new int[Abi.REG_WINDOW_BYTES / 4];
    private final Map<Integer, Integer> overrides = new ConcurrentHashMap<>();
    private final long[][] outputs = new long[MAX_RING][];
    private final ByteBuffer copy = ByteBuffer.allocate(COPY_BYTES);
    private final Thread bridge;
    private volatile boolean stop;
    private volatile Throwable failure;

    // bridge-thread state
    private int rigTail;
    private int syncedCpl;
    private boolean resetting;

    /**
     * Serves a rig until the process is killed, so that another process can use it, e.g.
     * {@code ./pacq demo --device xdma:<dir>/xdma0}.
     *
     * @param args directory to create (must not hold a rig already), then optionally the channel
     *             count (1..4) and the card memory in MiB
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: XdmaFileRig DIR [CHANNELS [MEM_MIB]]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        int channels = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        long mem = (args.length > 2 ? Long.parseLong(args[2]) : 512) << 20;
        Options o = Options.defaults().withChannels(channels).withMemBytes(mem);
        try (XdmaFileRig rig = new XdmaFileRig(dir, o)) {
            System.out.println("serving " + rig.uri("") + " (" + channels + " channel(s), " + (mem >> 20)
                    + " MiB); stop with Ctrl-C and remove " + dir);
            while (rig.failure() == null) {
                Thread.sleep(200);
            }
            throw new IllegalStateException("rig bridge failed", rig.failure());
        }
    }

    /** Creates the nodes in {@code dir} (which must exist) and starts serving them. */
    XdmaFileRig(Path dir, Options options) {
        this.dir = dir;
        this.options = options;
        try {
            Path user = dir.resolve("xdma0_user");
            regFile = FileChannel.open(user, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            regFile.write(ByteBuffer.allocate(Abi.REG_WINDOW_BYTES), 0);
            regs = regFile.map(FileChannel.MapMode.READ_WRITE, 0, Abi.REG_WINDOW_BYTES);
            Path mem = dir.resolve("card-memory.bin");
            memFile = FileChannel.open(mem, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.SPARSE);
            memFile.truncate(options.memBytes());
            memFile.write(ByteBuffer.allocate(1), options.memBytes() - 1); // sparse file of the full size
            for (int c = 0; c < options.channels(); c++) {
                Files.createSymbolicLink(dir.resolve("xdma0_h2c_" + c), mem.getFileName());
                Files.createSymbolicLink(dir.resolve("xdma0_c2h_" + c), mem.getFileName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the XDMA file rig in " + dir, e);
        }
        if (options.events()) {
            String path = dir.resolve("xdma0_events_0").toString();
            LibC.ensureAvailable();
            if (LibC.mkfifo(path, 0600) != 0) {
                throw new IllegalStateException("mkfifo " + path + " failed, errno " + com.sun.jna.Native.getLastError());
            }
            // read-write: opening never blocks and the FIFO always has a writer
            fifo = NativeFile.open(path, LibC.O_RDWR | LibC.O_NONBLOCK, Errno.Node.EVENTS);
        } else {
            fifo = null;
        }
        device = new EmuDevice(new EmuDevice.Config(options.memBytes(), 1, 4, 32, 64 * 1024, 1, MAX_RING,
                Abi.Model.EMU_FUNCTIONAL, 0, 0, 0), new PlainGemmEngine(1));
        publishAll();
        bridge = new Thread(this::serve, "xdma-file-rig");
        bridge.setDaemon(true);
        bridge.start();
    }

    /** The node prefix, e.g. "/tmp/x/xdma0". */
    String prefix() {
        return dir.resolve("xdma0").toString();
    }

    /** "xdma:" + prefix + query. */
    String uri(String query) {
        return "xdma:" + prefix() + (query.isEmpty() ? "" : "?" + query);
    }

    /** The device model behind the files. */
    EmuDevice device() {
        return device;
    }

    /** The card-memory file. */
    Path memoryFile() {
        return dir.resolve("card-memory.bin");
    }

    /** Pins the value the rig publishes for a register (null: back to the model's value). */
    void override(int offset, Integer value) {
        if (value == null) {
            overrides.remove(offset);
        } else {
            overrides.put(offset, value);
        }
    }

    /** A failure of the bridge thread, or null. */
    Throwable failure() {
        return failure;
    }

    // ------------------------------------------------------------------------------ bridge

    private void serve() {
        try {
            while (!stop) {
                boolean busy = forwardHostWrites();
                busy |= syncCompletions();
                publishAll();
                long wait = busy ? 0 : options.pollNanos();
                if (device.awaitInterrupt(wait)) {
                    syncCompletions();
                    publishAll();
                    raiseEvent();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private int slot(int off) {
        return (int) INT.getVolatile(regs, off);
    }

    private boolean forwardHostWrites() {
        int tail = slot(Abi.Reg.SQ_TAIL); // sampled first: writes before the doorbell are visible below
        boolean any = false;
        for (int off : HOST_WRITTEN) {
            int v = slot(off);
            if (v != shown[off / 4]) {
                shown[off / 4] = v;
                device.writeReg(off, v);
                if (off == Abi.Reg.CTRL && (v & Abi.CtrlBits.SOFT_RESET) != 0) {
                    resetting = true;
                }
                any = true;
            }
        }
        if (tail != shown[Abi.Reg.SQ_TAIL / 4]) {
            shown[Abi.Reg.SQ_TAIL / 4] = tail;
            doorbell(tail);
            any = true;
        }
        return any;
    }

    /** Copies what the new descriptors read into the model, then rings its doorbell. */
    private void doorbell(int tail) {
        int entries = device.readReg(Abi.Reg.RING_ENTRIES);
        long ring = base(Abi.Reg.RING_BASE_HI, Abi.Reg.RING_BASE_LO);
        for (int t = rigTail; t != tail; t++) {
            int slot = t & (entries - 1);
            long descAddr = ring + (long) slot * Abi.Desc.BYTES;
            toDevice(descAddr, Abi.Desc.BYTES);
            ByteBuffer d = ByteBuffer.allocate(Abi.Desc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            outputs[slot] = null;
            if (device.memory().contains(descAddr, Abi.Desc.BYTES)) {
                device.memory().read(descAddr, d);
                d.flip();
                if ((d.get(Abi.Desc.OPCODE) & 0xFF) == Abi.Opcode.GEMM) {
                    try {
                        GemmCommand c = GemmCommand.decode(d);
                        toDevice(c.addrA(), c.aBytes());
                        toDevice(c.addrW(), c.wBytes());
                        toDevice(c.addrScales(), c.groupEntries() * 2);
                        if (!c.symmetric()) {
                            toDevice(c.addrZeros(), c.groupEntries());
                        }
                        outputs[slot] = new long[] {c.addrC(), c.cBytes()};
                    } catch (GemmCommand.BadDescriptor e) {
                        // the model reports BAD_DESCRIPTOR itself
                    }
                }
            }
        }
        rigTail = tail;
        device.writeReg(Abi.Reg.SQ_TAIL, tail);
    }

    /** Copies completion records and outputs of newly completed commands to the file. */
    private boolean syncCompletions() {
        if (resetting) {
            if ((device.readReg(Abi.Reg.CTRL) & Abi.CtrlBits.SOFT_RESET) != 0) {
                return false;
            }
            resetting = false;
            rigTail = 0;
            syncedCpl = 0;
        }
        int count = device.readReg(Abi.Reg.CPL_COUNT);
        if (count == syncedCpl) {
            return false;
        }
        int entries = device.readReg(Abi.Reg.RING_ENTRIES);
        long cpl = base(Abi.Reg.CPL_BASE_HI, Abi.Reg.CPL_BASE_LO);
        while (syncedCpl != count) {
            int slot = syncedCpl & (entries - 1);
            long[] out = outputs[slot];
            if (out != null) {
                fromDevice(out[0], out[1]);
            }
            fromDevice(cpl + (long) slot * Abi.Cpl.BYTES, Abi.Cpl.BYTES);
            syncedCpl++;
        }
        return true;
    }

    private long base(int hi, int lo) {
        return ((long) device.readReg(hi) << 32) | (device.readReg(lo) & 0xFFFFFFFFL);
    }

    private void publishAll() {
        for (int off = 0; off < Abi.REG_WINDOW_BYTES; off += 4) {
            if (off > Abi.Reg.CAP_MODEL) {
                break;
            }
            int v = switch (off) {
                case Abi.Reg.CPL_COUNT -> syncedCpl;   // never ahead of the records in the file
                default -> device.readReg(off);
            };
            v = overrides.getOrDefault(off, v);
            int was = shown[off / 4];
            if (v != was && INT.compareAndSet(regs, off, was, v)) {
                shown[off / 4] = v;
            }
        }
    }

    private void raiseEvent() {
        if (fifo == null) {
            return;
        }
        eventWord.setInt(0, 1);
        try {
            fifo.writeFully(eventWord, 4);
        } catch (XdmaException e) {
            if (e.errno() != Errno.EAGAIN) { // a full FIFO already holds an event
                throw e;
            }
        }
    }

    private void toDevice(long address, long length) {
        long end = Math.min(address + length, device.memory().size());
        try {
            for (long a = Math.max(0, address); a < end; ) {
                int n = (int) Math.min(COPY_BYTES, end - a);
                copy.clear().limit(n);
                int got = 0;
                while (got < n) {
                    int r = memFile.read(copy, a + got);
                    if (r < 0) {
                        break;
                    }
                    got += r;
                }
                while (copy.hasRemaining()) {
                    copy.put((byte) 0); // beyond the end of a truncated file
                }
                copy.flip();
                device.memory().write(a, copy);
                a += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fromDevice(long address, long length) {
        long end = Math.min(address + length, device.memory().size());
        try {
            for (long a = Math.max(0, address); a < end; ) {
                int n = (int) Math.min(COPY_BYTES, end - a);
                copy.clear().limit(n);
                device.memory().read(a, copy);
                copy.flip();
                while (copy.hasRemaining()) {
                    memFile.write(copy, a + copy.position());
                }
                a += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the bridge and the model, closes the files (the nodes stay in the directory). */
    @Override
    public void close() {
        stop = true;
        try {
            bridge.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        device.close();
        if (fifo != null) {
            fifo.close();
        }
        try {
            regFile.close();
            memFile.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

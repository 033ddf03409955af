package io.pacq.driver;

import io.pacq.CommandStats;
import io.pacq.Device;
import io.pacq.DeviceClosedException;
import io.pacq.DeviceCounters;
import io.pacq.DeviceException;
import io.pacq.DeviceInfo;
import io.pacq.DeviceMemoryException;
import io.pacq.DeviceOptions;
import io.pacq.DeviceTimeoutException;
import io.pacq.DeviceUri;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.IncompatibleDeviceException;
import io.pacq.InvalidRequestException;
import io.pacq.KernelLaunch;
import io.pacq.KernelResult;
import io.pacq.LinkException;
import io.pacq.OutputType;
import io.pacq.PacqException;
import io.pacq.ResourceLeakException;
import io.pacq.UnsupportedCommandException;
import io.pacq.WeightHandle;
import io.pacq.abi.Abi;
import io.pacq.link.Link;
import io.pacq.quant.KPackedWeights;
import io.pacq.quant.PackedWeights;
import io.pacq.quant.QuantizedWeights;
import io.pacq.spi.GemmChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The driver logic shared by every hardware-like backend, written against {@link Link}: it reads
 * and checks the capability block, allocates device memory, keeps the command ring, rings the
 * doorbell, collects completion records, enforces a deadline on every command and resets the
 * device to recover from a timeout.
 *
 * <pre>
 *  submit() --> backlog --dispatch--> ring slot (descriptor) --SQ_TAIL doorbell--> device
 *                                                                                    |
 *  future <-- completion thread <-- completion record + CPL_COUNT <-- interrupt -----+
 * </pre>
 *
 * Commands run in submission order. Each holds its own activation and output buffers in device
 * memory from dispatch to completion. Thread-safe: one lock guards the link's registers and DMA
 * and the ring state; the completion thread waits for interrupts without holding it. Futures are
 * completed on a separate callback thread, so user code never runs on the completion thread.
 */
public final class LinkDevice implements Device {
    private static final Logger log = LoggerFactory.getLogger(LinkDevice.class);

    /** Ring slots used (capped by CAP_MAX_RING). */
    static final int RING_ENTRIES = Integer.getInteger("pacq.ring.entries", 64);
    /** Longest sleep between polls of CPL_COUNT, in case a link loses an interrupt. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("pacq.poll.ms", 100));
    /** How long a soft reset may take before the device is declared dead. */
    static final long RESET_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("pacq.reset.ms", 5000));

    static {
        log.debug("tunables: pacq.ring.entries={} pacq.poll.ms={} pacq.reset.ms={}", RING_ENTRIES,
                TimeUnit.NANOSECONDS.toMillis(POLL_NANOS), TimeUnit.NANOSECONDS.toMillis(RESET_NANOS));
    }

    private final Link link;
    private final DeviceUri uri;
    private final DeviceOptions options;
    private final DeviceInfo info;
    private final DeviceMemoryAllocator memory;
    private final Object lock = new Object();

    // ---- guarded by lock
    private final ArrayDeque<Command> backlog = new ArrayDeque<>();
    private final Command[] slots;
    private final int ringEntries;
    private final long ringBase;
    private final long cplBase;
    private int sqTail;       // commands written to the ring since the last reset
    private int cplSeen;      // completions consumed since the last reset
    private int inFlight;
    private final Set<Handle> handles = new HashSet<>();
    private boolean closed;
    private String deadReason;
    private long submitted, completed, failed, timeouts, resets, bytesIn, bytesOut;
    private CommandStats totals = CommandStats.NONE;
    // ----

    private final AtomicInteger seq = new AtomicInteger();
    private final Thread completionThread;
    private final ExecutorService callbacks;
    private volatile boolean stopping;

    private LinkDevice(Link link, DeviceUri uri, DeviceOptions options, DeviceInfo info, int ringEntries) {
        this.link = link;
        this.uri = uri;
        this.options = options;
        this.info = info;
        this.memory = new DeviceMemoryAllocator(info.memoryBytes());
        this.ringEntries = ringEntries;
        this.slots = new Command[ringEntries];
        this.ringBase = memory.allocate((long) ringEntries * Abi.Desc.BYTES, "command ring");
        this.cplBase = memory.allocate((long) ringEntries * Abi.Cpl.BYTES, "completion records");
        String name = "pacq-" + uri.scheme();
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-callbacks");
            t.setDaemon(true);
            return t;
        });
        this.completionThread = new Thread(this::completionLoop, name + "-completions");
        this.completionThread.setDaemon(true);
    }

    /**
     * Opens a device behind a link: checks the ID and ABI version, reads the capability block,
     * resets the device and programs the ring. Closes the link when it fails.
     *
     * @param description what the backend is, for {@link DeviceInfo#description()}
     * @throws IncompatibleDeviceException when the device is not a PacQ device or its ABI major
     *                                     version differs from this host's
     */
    public static LinkDevice open(Link link, DeviceUri uri, DeviceOptions options, String description) {
        try {
            DeviceInfo info = readInfo(link, uri, description);
            int entries = Math.min(RING_ENTRIES, link.readReg(Abi.Reg.CAP_MAX_RING));
            if (entries < 1 || Integer.bitCount(entries) != 1) {
                entries = Integer.highestOneBit(Math.max(1, entries));
            }
            LinkDevice dev = new LinkDevice(link, uri, options, info, entries);
            synchronized (dev.lock) {
                if (!dev.softReset()) {
                    throw new LinkException("device " + uri + " did not finish its reset within "
                            + TimeUnit.NANOSECONDS.toMillis(RESET_NANOS) + " ms at open; " + link.recoveryAdvice());
                }
                dev.programRing();
            }
            dev.completionThread.start();
            log.debug("opened {}: {}", uri, info);
            return dev;
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * Reads and checks the identity and capability block without touching any other register (no
     * reset, no ring): what {@code pacq info --list} shows for a device another process may be
     * using. Thread-safe as far as the link's register reads are.
     *
     * @param description what the backend is, for {@link DeviceInfo#description()}
     * @throws IncompatibleDeviceException when the ID register does not read the PacQ magic or the
     *                                     ABI major version differs from this host's (the message
     *                                     names both versions)
     */
    public static DeviceInfo readInfo(Link link, DeviceUri uri, String description) {
        int id = link.readReg(Abi.Reg.ID);
        if (id != Abi.MAGIC) {
            throw new IncompatibleDeviceException("no PacQ device at " + uri + ": register ID reads 0x"
                    + Integer.toHexString(id) + ", expected 0x" + Integer.toHexString(Abi.MAGIC));
        }
        int ver = link.readReg(Abi.Reg.ABI_VERSION);
        int major = (ver >>> Abi.AbiVersionBits.MAJOR_LSB) & Abi.AbiVersionBits.MAJOR_MASK;
        int minor = (ver >>> Abi.AbiVersionBits.MINOR_LSB) & Abi.AbiVersionBits.MINOR_MASK;
        if (major != Abi.VERSION_MAJOR) {
            throw new IncompatibleDeviceException("device " + uri + " implements ABI " + major + "." + minor
                    + " but this host speaks ABI " + Abi.VERSION_MAJOR + "." + Abi.VERSION_MINOR
                    + "; load a matching bitstream or use a matching host release");
        }
        Set<Integer> bits = new HashSet<>();
        int bitMask = link.readReg(Abi.Reg.CAP_BITS);
        for (int b : new int[] {2, 4, 8}) {
            if ((bitMask & (1 << b)) != 0) {
                bits.add(b);
            }
        }
        Set<GemmMode> modes = EnumSet.noneOf(GemmMode.class);
        int modeMask = link.readReg(Abi.Reg.CAP_MODES);
        for (GemmMode m : GemmMode.values()) {
            if ((modeMask & (1 << m.abiCode())) != 0) {
                modes.add(m);
            }
        }
        long mem = (link.readReg(Abi.Reg.CAP_MEM_LO) & 0xFFFFFFFFL)
                | ((long) link.readReg(Abi.Reg.CAP_MEM_HI) << 32);
        return new DeviceInfo(uri.text(), description, Abi.Model.name(link.readReg(Abi.Reg.CAP_MODEL)), major, minor,
                link.readReg(Abi.Reg.CAP_CORES), link.readReg(Abi.Reg.CAP_WARPS), link.readReg(Abi.Reg.CAP_LANES),
                bits, modes, mem, link.readReg(Abi.Reg.CAP_CLOCK_KHZ), link.readReg(Abi.Reg.CAP_SMEM_BYTES),
                link.readReg(Abi.Reg.CAP_MMA_UNITS));
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    // ------------------------------------------------------------------------------- weights

    @Override
    public WeightHandle upload(QuantizedWeights weights, Set<GemmMode> modes) {
        checkUsable();
        if (!info.supportsBits(weights.bits())) {
            throw new IncompatibleDeviceException("device " + uri + " does not support INT" + weights.bits()
                    + " weights (supported: " + info.bits() + ")");
        }
        for (GemmMode m : modes) {
            if (!info.supports(m)) {
                throw new IncompatibleDeviceException("device " + uri + " does not support mode " + m
                        + " (supported: " + info.modes() + ")");
            }
        }
        long weightBytes = PackedWeights.weightBytes(weights.k(), weights.n(), weights.bits());
        byte[] scales = PackedWeights.packScales(weights);
        byte[] zeros = PackedWeights.packZeros(weights);
        KPackedWeights kpacked = modes.contains(GemmMode.KPACKED) ? KPackedWeights.pack(weights) : null;
        synchronized (lock) {
            checkUsable();
            List<Long> blocks = new ArrayList<>();
            try {
                long w = alloc(blocks, weightBytes, "packed weights " + weights);
                long s = alloc(blocks, scales.length, "scales " + weights);
                long z = zeros == null ? 0 : alloc(blocks, zeros.length, "zero points " + weights);
                long kw = kpacked == null ? 0 : alloc(blocks, kpacked.weights().length, "K-packed weights " + weights);
                writePackedWeights(w, weights, weightBytes);
                write(s, scales);
                if (z != 0) {
                    write(z, zeros);
                }
                if (kw != 0) {
                    write(kw, kpacked.weights());
                }
                Handle h = new Handle(weights, w, s, z, kw, blocks, weightBytes + scales.length
                        + (zeros == null ? 0 : zeros.length) + (kpacked == null ? 0 : kpacked.weights().length));
                handles.add(h);
                return h;
            } catch (LinkException e) {
                blocks.forEach(memory::free);
                throw new LinkException("could not upload weights " + weights + " to " + uri + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                blocks.forEach(memory::free);
                throw e;
            }
        }
    }

    private long alloc(List<Long> blocks, long bytes, String what) {
        long a = memory.allocate(bytes, what);
        blocks.add(a);
        return a;
    }

    /** Bytes of the N-packed image packed and written at a time (the image is never built whole). */
    private static final int UPLOAD_CHUNK = 1 << 20;

    /** Streams the N-packed weight image to device memory, packing it a chunk at a time. */
    private void writePackedWeights(long address, QuantizedWeights weights, long bytes) {
        byte[] chunk = new byte[(int) Math.min(bytes, UPLOAD_CHUNK)];
        for (long off = 0; off < bytes; off += chunk.length) {
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, bytes - off));
            PackedWeights.writeWeights(weights, off, b);
            link.writeMem(address + off, b.flip());
            bytesIn += b.limit();
        }
    }

    private void write(long address, byte[] data) {
        link.writeMem(address, ByteBuffer.wrap(data));
        bytesIn += data.length;
    }

    /** A weight upload; its memory is freed when closed and no submitted command uses it. */
    private final class Handle implements WeightHandle {
        final QuantizedWeights weights;
        final long wAddr, sAddr, zAddr, kAddr;
        final List<Long> blocks;
        final long bytes;
        int users;          // guarded by lock
        boolean open = true; // guarded by lock

        Handle(QuantizedWeights weights, long wAddr, long sAddr, long zAddr, long kAddr, List<Long> blocks,
               long bytes) {
            this.weights = weights;
            this.wAddr = wAddr;
            this.sAddr = sAddr;
            this.zAddr = zAddr;
            this.kAddr = kAddr;
            this.blocks = blocks;
            this.bytes = bytes;
        }

        LinkDevice owner() { return LinkDevice.this; }

        @Override public int k() { return weights.k(); }
        @Override public int n() { return weights.n(); }
        @Override public io.pacq.quant.QuantSpec spec() {
            return new io.pacq.quant.QuantSpec(weights.bits(), weights.groupSize(), weights.groupCols(),
                    weights.symmetric());
        }
        @Override public long deviceBytes() { return bytes; }

        @Override
        public boolean isOpen() {
            synchronized (lock) {
                return open;
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (!open) {
                    return;
                }
                open = false;
                handles.remove(this);
                if (users == 0) {
                    blocks.forEach(memory::free);
                }
            }
        }

        void release() { // under lock
            if (--users == 0 && !open) {
                blocks.forEach(memory::free);
            }
        }

        @Override
        public String toString() {
            return "WeightHandle[" + weights + " on " + uri + "]";
        }
    }

    // -------------------------------------------------------------------------------- commands

    /** One GEMM or LAUNCH from submission to completion. */
    private final class Command {
        final GemmRequest req;          // null for a LAUNCH
        final Handle handle;            // null for a LAUNCH
        final LaunchJob launch;         // null for a GEMM
        final CompletableFuture<Object> future = new CompletableFuture<>();
        final long submitNanos = System.nanoTime();
        final long deadline;
        final int seq;
        long aAddr, cAddr;      // allocated at dispatch
        boolean timedOut;

        Command(GemmRequest req, Handle handle, int seq) {
            this.req = req;
            this.handle = handle;
            this.launch = null;
            this.seq = seq;
            long t = (req.timeout() != null ? req.timeout() : options.defaultTimeout()).toNanos();
            this.deadline = submitNanos + t;
        }

        Command(KernelLaunch l, int seq) {
            this.req = null;
            this.handle = null;
            this.launch = new LaunchJob(l);
            this.seq = seq;
            this.deadline = submitNanos + (l.timeout() != null ? l.timeout() : options.defaultTimeout()).toNanos();
        }

        String describe() {
            if (launch != null) {
                return launch.describe(seq);
            }
            return "GEMM #" + seq + " (M=" + req.m() + " N=" + handle.n() + " K=" + handle.k() + " INT"
                    + handle.weights.bits() + " " + req.mode() + ")";
        }

        long aBytes() {
            return (long) req.m() * handle.k() * 2;
        }

        long cBytes() {
            return (long) req.m() * handle.n() * req.output().bytes();
        }
    }

    @Override
    public CompletableFuture<GemmResult> submit(GemmRequest req) {
        if (!(req.weights() instanceof Handle h) || !handlesOwner(h)) {
            throw new InvalidRequestException("weight handle " + req.weights() + " does not belong to device " + uri);
        }
        GemmChecks.check(req, h.k(), h.n(), info, uri);
        if (req.mode() == GemmMode.KPACKED && h.kAddr == 0) {
            throw new InvalidRequestException("weights " + h.weights + " were uploaded without the K-packed layout; "
                    + "upload them with mode KPACKED to run KPACKED GEMMs");
        }
        synchronized (lock) {
            checkUsable();
            if (!h.open) {
                throw new InvalidRequestException("weight handle " + h + " is closed");
            }
            Command c = new Command(req, h, seq.getAndIncrement());
            h.users++;
            submitted++;
            backlog.addLast(c);
            dispatch();
            lock.notifyAll();
            return typed(c.future);
        }
    }

    /** The future of a command, typed by what its kind completes it with. */
    @SuppressWarnings("unchecked")
    private static <T> CompletableFuture<T> typed(CompletableFuture<Object> f) {
        return (CompletableFuture<T>) (CompletableFuture<?>) f;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Program and buffers are allocated when the command reaches the ring (like a GEMM's
     * activations) and freed when it completes, fails or times out.
     */
    @Override
    public CompletableFuture<KernelResult> launch(KernelLaunch l) {
        if (l == null) {
            throw new InvalidRequestException("launch: the KernelLaunch is null");
        }
        if ((capOpcodes() & 1 << Abi.Opcode.LAUNCH) == 0) {
            throw new UnsupportedCommandException("device " + uri + " does not run kernel launches (" + info.description()
                    + ": CAP_OPCODES lists no LAUNCH); use a device with a SIMT machine: emu:?model=cycle, rtlsim: or a board");
        }
        synchronized (lock) {
            checkUsable();
            Command c = new Command(l, seq.getAndIncrement());
            submitted++;
            backlog.addLast(c);
            dispatch();
            lock.notifyAll();
            return typed(c.future);
        }
    }

    private volatile int capOpcodes = -1;

    private int capOpcodes() {
        int v = capOpcodes;
        if (v == -1) {
            synchronized (lock) {
                checkUsable();
                v = capOpcodes = link.readReg(Abi.Reg.CAP_OPCODES);
            }
        }
        return v;
    }

    private boolean handlesOwner(Handle h) {
        return h.owner() == this;
    }

    /** Moves backlog commands into free ring slots. Under lock. */
    private void dispatch() {
        while (!backlog.isEmpty() && inFlight < ringEntries && deadReason == null) {
            Command c = backlog.peekFirst();
            if (c.future.isDone()) {        // cancelled while queued
                backlog.pollFirst();
                finish(c);
                continue;
            }
            try {
                if (c.launch != null) {
                    c.launch.allocate(memory, c.describe());
                } else if (c.aAddr == 0) {
                    c.aAddr = memory.allocate(c.aBytes(), "activations of " + c.describe());
                }
                if (c.launch == null && c.cAddr == 0) {
                    c.cAddr = memory.allocate(c.cBytes(), "output of " + c.describe());
                }
            } catch (DeviceMemoryException e) {
                if (inFlight > 0) {
                    return; // memory comes back as commands complete
                }
                backlog.pollFirst();
                fail(c, e);
                continue;
            } catch (RuntimeException e) {
                // Anything else is a bug; failing the command keeps it from blocking the backlog forever.
                backlog.pollFirst();
                fail(c, unexpected(c, e));
                continue;
            }
            backlog.pollFirst();
            try {
                if (c.launch != null) {
                    bytesIn += c.launch.write(link);
                } else {
                    ByteBuffer a = ByteBuffer.allocate((int) c.aBytes()).order(ByteOrder.LITTLE_ENDIAN);
                    a.asShortBuffer().put(c.req.activations().bitsView());
                    link.writeMem(c.aAddr, a);
                    bytesIn += c.aBytes();
                }
                int slot = sqTail & (ringEntries - 1);
                link.writeMem(ringBase + (long) slot * Abi.Desc.BYTES, descriptor(c));
                bytesIn += Abi.Desc.BYTES;
                slots[slot] = c;
                sqTail++;
                inFlight++;
                link.writeReg(Abi.Reg.SQ_TAIL, sqTail);
            } catch (LinkException e) {
                fail(c, new LinkException("could not send " + c.describe() + " to " + uri + ": " + e.getMessage(), e));
            } catch (RuntimeException e) {
                fail(c, unexpected(c, e));
            }
        }
    }

    private PacqException unexpected(Command c, RuntimeException e) {
        return e instanceof PacqException p ? p
                : new PacqException("internal error preparing " + c.describe() + " for " + uri + ": " + e, e);
    }

    private ByteBuffer descriptor(Command c) {
        if (c.launch != null) {
            return c.launch.descriptor(c.seq);
        }
        ByteBuffer d = ByteBuffer.allocate(Abi.Desc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        Handle h = c.handle;
        QuantizedWeights w = h.weights;
        int flags = Abi.DescFlags.IRQ;
        if (c.req.output() == OutputType.F32) {
            flags |= Abi.DescFlags.OUT_F32;
        }
        if (w.symmetric()) {
            flags |= Abi.DescFlags.SYMMETRIC;
        }
        d.put(Abi.Desc.OPCODE, (byte) Abi.Opcode.GEMM);
        d.put(Abi.Desc.MODE, (byte) c.req.mode().abiCode());
        d.put(Abi.Desc.BITS, (byte) w.bits());
        d.put(Abi.Desc.FLAGS, (byte) flags);
        d.putInt(Abi.Desc.SEQ, c.seq);
        d.putInt(Abi.Desc.M, c.req.m());
        d.putInt(Abi.Desc.N, w.n());
        d.putInt(Abi.Desc.K, w.k());
        d.putInt(Abi.Desc.GROUP_SIZE, w.groupSize());
        d.putInt(Abi.Desc.GROUP_COLS, w.groupCols());
        d.putLong(Abi.Desc.ADDR_A, c.aAddr);
        d.putLong(Abi.Desc.ADDR_W, c.req.mode() == GemmMode.KPACKED ? h.kAddr : h.wAddr);
        d.putLong(Abi.Desc.ADDR_SCALES, h.sAddr);
        d.putLong(Abi.Desc.ADDR_ZEROS, h.zAddr);
        d.putLong(Abi.Desc.ADDR_C, c.cAddr);
        return d;
    }

    // ----------------------------------------------------------------------------- completions

    private void completionLoop() {
        while (!stopping) {
            try {
                long wait;
                synchronized (lock) {
                    while (inFlight == 0 && backlog.isEmpty() && !stopping) {
                        lock.wait();
                    }
                    if (stopping) {
                        return;
                    }
                    wait = Math.max(0, Math.min(POLL_NANOS, nextDeadline() - System.nanoTime()));
                }
                link.awaitInterrupt(wait);
                synchronized (lock) {
                    if (deadReason == null) {
                        reap();
                        enforceDeadlines();
                        dispatch();
                    }
                    lock.notifyAll();
                }
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (RuntimeException e) {
                synchronized (lock) {
                    log.error("device {}: link failure, recovering by reset", uri, e);
                    recover("the link to the device failed: " + e.getMessage());
                    lock.notifyAll();
                }
            }
        }
    }

    private long nextDeadline() { // under lock
        long d = Long.MAX_VALUE;
        if (inFlight > 0) {
            d = slots[cplSeen & (ringEntries - 1)].deadline;
        }
        for (Command c : backlog) {
            d = Math.min(d, c.deadline);
        }
        return d;
    }

    /** Consumes every completion record the device has written. Under lock. */
    private void reap() {
        link.writeReg(Abi.Reg.IRQ_STATUS, Abi.IrqStatusBits.CPL | Abi.IrqStatusBits.ERR);
        int count = link.readReg(Abi.Reg.CPL_COUNT);
        while (cplSeen != count && inFlight > 0) {
            int slot = cplSeen & (ringEntries - 1);
            Command c = slots[slot];
            ByteBuffer rec = ByteBuffer.allocate(Abi.Cpl.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            link.readMem(cplBase + (long) slot * Abi.Cpl.BYTES, rec);
            bytesOut += Abi.Cpl.BYTES;
            slots[slot] = null;
            cplSeen++;
            inFlight--;
            complete(c, rec);
        }
    }

    private void complete(Command c, ByteBuffer rec) { // under lock
        int recSeq = rec.getInt(Abi.Cpl.SEQ);
        int status = rec.getInt(Abi.Cpl.STATUS);
        long errInfo = rec.getLong(Abi.Cpl.ERR_INFO);
        if (recSeq != c.seq) {
            fail(c, new DeviceException(Abi.Status.INTERNAL, recSeq, "completion record out of order for "
                    + c.describe() + ": it names sequence number " + recSeq));
            return;
        }
        if (status != Abi.Status.OK && c.launch != null) {
            fail(c, c.launch.failure(status, errInfo, c.describe() + " failed on " + uri, uri.text()));
            return;
        }
        if (status != Abi.Status.OK) {
            fail(c, new DeviceException(status, errInfo, c.describe() + " failed on " + uri));
            return;
        }
        CommandStats stats = new CommandStats(rec.getLong(Abi.Cpl.CYCLES), rec.getLong(Abi.Cpl.INSTRUCTIONS),
                rec.getLong(Abi.Cpl.RF_READS), rec.getLong(Abi.Cpl.RF_WRITES), rec.getLong(Abi.Cpl.SMEM_BYTES),
                rec.getLong(Abi.Cpl.DMEM_READ_BYTES), rec.getLong(Abi.Cpl.DMEM_WRITE_BYTES),
                rec.getLong(Abi.Cpl.MUL_OPS), rec.getLong(Abi.Cpl.ADD_OPS), rec.getLong(Abi.Cpl.STALL_MEM),
                rec.getLong(Abi.Cpl.STALL_DEP), rec.getLong(Abi.Cpl.STALL_UNIT), rec.getLong(Abi.Cpl.STALL_BARRIER));
        if (c.launch != null) {
            completeLaunch(c, stats);
            return;
        }
        GemmResult result;
        try {
            if (c.future.isDone()) { // cancelled: do not read the output
                finish(c);
                return;
            }
            ByteBuffer out = ByteBuffer.allocate((int) c.cBytes()).order(ByteOrder.LITTLE_ENDIAN);
            link.readMem(c.cAddr, out);
            out.flip();
            bytesOut += c.cBytes();
            int m = c.req.m();
            int n = c.handle.n();
            long nanos = System.nanoTime() - c.submitNanos;
            if (c.req.output() == OutputType.F16) {
                short[] bits = new short[m * n];
                out.asShortBuffer().get(bits);
                result = GemmResult.ofF16(m, n, bits, stats, nanos);
            } else {
                int[] bits = new int[m * n];
                out.asIntBuffer().get(bits);
                result = GemmResult.ofF32(m, n, bits, stats, nanos);
            }
        } catch (LinkException e) {
            fail(c, new LinkException("could not read the output of " + c.describe() + " from " + uri + ": "
                    + e.getMessage(), e));
            return;
        }
        completed++;
        totals = totals.plus(stats);
        finish(c);
        callbacks.execute(() -> c.future.complete(result));
    }

    private void completeLaunch(Command c, CommandStats stats) { // under lock
        KernelResult result;
        try {
            if (c.future.isDone()) { // cancelled: do not read the outputs
                finish(c);
                return;
            }
            result = new KernelResult(c.launch.readOutputs(link), stats, System.nanoTime() - c.submitNanos);
            bytesOut += c.launch.outputBytes();
        } catch (LinkException e) {
            fail(c, new LinkException("could not read the outputs of " + c.describe() + " from " + uri + ": "
                    + e.getMessage(), e));
            return;
        }
        completed++;
        totals = totals.plus(stats);
        finish(c);
        callbacks.execute(() -> c.future.complete(result));
    }

    private void fail(Command c, PacqException e) { // under lock
        failed++;
        finish(c);
        callbacks.execute(() -> c.future.completeExceptionally(e));
    }

    /** Frees what a command held. Under lock. */
    private void finish(Command c) {
        if (c.aAddr != 0) {
            memory.free(c.aAddr);
            c.aAddr = 0;
        }
        if (c.cAddr != 0) {
            memory.free(c.cAddr);
            c.cAddr = 0;
        }
        if (c.launch != null) {
            c.launch.free(memory);
            return;
        }
        c.handle.release();
    }

    /** Fails commands past their deadline; a timed-out device is reset. Under lock. */
    private void enforceDeadlines() {
        long now = System.nanoTime();
        for (Iterator<Command> it = backlog.iterator(); it.hasNext(); ) {
            Command c = it.next();
            if (now - c.deadline >= 0) {
                it.remove();
                timeouts++;
                fail(c, new DeviceTimeoutException(c.describe() + " waited in the host queue past its deadline of "
                        + TimeUnit.NANOSECONDS.toMillis(c.deadline - c.submitNanos) + " ms; device " + uri
                        + " is busy with earlier commands"));
            }
        }
        if (inFlight > 0) {
            Command oldest = slots[cplSeen & (ringEntries - 1)];
            if (now - oldest.deadline >= 0) {
                timeouts++;
                oldest.timedOut = true;
                recover(oldest.describe() + " did not complete within its deadline of "
                        + TimeUnit.NANOSECONDS.toMillis(oldest.deadline - oldest.submitNanos) + " ms");
            }
        }
    }

    /**
     * Resets the device after a timeout or link failure. The command at the head of the ring (the
     * culprit) fails; the others are dispatched again after the reset. Under lock.
     */
    private void recover(String why) {
        List<Command> requeue = new ArrayList<>();
        Command culprit = null;
        while (inFlight > 0) {
            int slot = cplSeen & (ringEntries - 1);
            Command c = slots[slot];
            slots[slot] = null;
            cplSeen++;
            inFlight--;
            if (culprit == null) {
                culprit = c;
            } else {
                requeue.add(c);
            }
        }
        resets++;
        boolean ok;
        try {
            ok = softReset();
            if (ok) {
                programRing();
            }
        } catch (RuntimeException e) {
            log.error("device {}: reset failed", uri, e);
            ok = false;
        }
        String outcome = ok ? "; the device was reset and accepts commands again"
                : "; the device did not come back from a soft reset and is unusable: " + link.recoveryAdvice();
        if (culprit != null) {
            PacqException e = culprit.timedOut ? new DeviceTimeoutException(why + " on " + uri + outcome)
                    : new LinkException(why + " (" + culprit.describe() + ", " + uri + ")" + outcome);
            fail(culprit, e);
        }
        log.warn("device {}: {}{}", uri, why, outcome);
        if (ok) {
            for (int i = requeue.size() - 1; i >= 0; i--) {
                backlog.addFirst(requeue.get(i));
            }
        } else {
            deadReason = why + outcome;
            requeue.forEach(c -> fail(c, new LinkException("device " + uri + " is unusable: " + deadReason)));
            while (!backlog.isEmpty()) {
                fail(backlog.pollFirst(), new LinkException("device " + uri + " is unusable: " + deadReason));
            }
        }
    }

    /** Writes CTRL.SOFT_RESET and waits for it to clear. Under lock. */
    private boolean softReset() {
        link.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.SOFT_RESET);
        long end = System.nanoTime() + RESET_NANOS;
        while ((link.readReg(Abi.Reg.CTRL) & Abi.CtrlBits.SOFT_RESET) != 0) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void programRing() { // under lock
        link.writeReg(Abi.Reg.RING_BASE_LO, (int) ringBase);
        link.writeReg(Abi.Reg.RING_BASE_HI, (int) (ringBase >>> 32));
        link.writeReg(Abi.Reg.RING_ENTRIES, ringEntries);
        link.writeReg(Abi.Reg.CPL_BASE_LO, (int) cplBase);
        link.writeReg(Abi.Reg.CPL_BASE_HI, (int) (cplBase >>> 32));
        link.writeReg(Abi.Reg.IRQ_STATUS, -1);
        sqTail = 0;
        cplSeen = 0;
        link.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.ENABLE | Abi.CtrlBits.IRQ_EN);
    }

    private void checkUsable() { // under lock or racy read for a fast failure
        if (closed) {
            throw new DeviceClosedException("device " + uri + " is closed");
        }
        if (deadReason != null) {
            throw new LinkException("device " + uri + " is unusable: " + deadReason);
        }
    }

    // ---------------------------------------------------------------------------------- misc

    @Override
    public DeviceCounters counters() {
        synchronized (lock) {
            return new DeviceCounters(submitted, completed, failed, timeouts, resets, bytesIn, bytesOut,
                    handles.size(), memory.bytesInUse(), totals);
        }
    }

    /**
     * Closes: waits for queued and in-flight commands (each bounded by its deadline), stops the
     * device, frees every handle and closes the link.
     */
    @Override
    public void close() {
        List<String> leaked = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                while ((inFlight > 0 || !backlog.isEmpty()) && deadReason == null) {
                    lock.wait(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopping = true;
            lock.notifyAll();
        }
        completionThread.interrupt();
        try {
            completionThread.join(TimeUnit.NANOSECONDS.toMillis(RESET_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            for (Handle h : new ArrayList<>(handles)) {
                leaked.add(h.toString());
                h.users = 0;
                h.close();
            }
            try {
                if (deadReason == null) {
                    link.writeReg(Abi.Reg.CTRL, 0);
                }
            } catch (RuntimeException e) {
                log.debug("device {}: could not stop the command processor at close", uri, e);
            } finally {
                link.close();
            }
        }
        callbacks.shutdown();
        if (!leaked.isEmpty()) {
            throw new ResourceLeakException("device " + uri + " was closed with " + leaked.size()
                    + " open weight handle(s), now freed: " + String.join(", ", leaked));
        }
    }

    @Override
    public String toString() {
        return "LinkDevice[" + uri + ", " + link.describe() + "]";
    }
}

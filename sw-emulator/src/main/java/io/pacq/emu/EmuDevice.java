package io.pacq.emu;

import io.pacq.CommandStats;
import io.pacq.LinkException;
import io.pacq.abi.Abi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The emulated PacQ device: the control registers of the ABI, device memory, and a command
 * processor thread that fetches descriptors from the ring, runs them on a {@link GemmEngine},
 * writes completion records and raises the interrupt. It behaves as the RTL does at the register
 * level, so the same driver logic runs on both.
 *
 * <p>Fault injection for tests: {@link #injectHang()}, {@link #injectTransferFailures(int)},
 * {@link #injectReadFailures(int)}, {@link #injectStuckReset(boolean)}.
 *
 * <p>Thread-safe: registers are guarded by one lock; DMA goes straight to memory.
 */
public final class EmuDevice implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmuDevice.class);

    /**
     * What the emulated machine reports in its capability block.
     *
     * @param clockKhz    CAP_CLOCK_KHZ (0: not a clocked model)
     * @param dmemLatency CAP_DMEM_LATENCY in cycles (0: not a clocked model)
     * @param dmemBw      CAP_DMEM_BW in bytes per cycle (0: not a clocked model)
     */
    public record Config(long memoryBytes, int cores, int warps, int lanes, int smemBytes, int mmaUnits,
                         int maxRing, int model, int clockKhz, int dmemLatency, int dmemBw) {
        /** A functional device of the given memory size. */
        public static Config functional(long memoryBytes) {
            return new Config(memoryBytes, 1, 4, 32, 64 * 1024, 1, 1024, Abi.Model.EMU_FUNCTIONAL, 0, 0, 0);
        }
    }

    private final Config config;
    private final DeviceMemory memory;
    private final GemmEngine engine;
    private final Object lock = new Object();
    private final Semaphore irq = new Semaphore(0);
    private final Thread processor;

    // registers, guarded by lock
    private int ctrl, status, ringBaseLo, ringBaseHi, ringEntries = 1, cplBaseLo, cplBaseHi, sqTail, sqHead,
            cplCount, irqStatus, errCode, errInfo, scratch;
    private long cycles, cyclesHiLatch;
    private boolean resetPending;
    private boolean shutdown;
    private volatile boolean abort;

    // fault injection
    private volatile boolean hangNext;
    private volatile boolean stuckReset;
    private final AtomicInteger failTransfers = new AtomicInteger();
    private final AtomicInteger failReads = new AtomicInteger();

    /** A device with its own command-processor thread. */
    public EmuDevice(Config config, GemmEngine engine) {
        this.config = config;
        this.memory = new DeviceMemory(config.memoryBytes());
        this.engine = engine;
        this.processor = new Thread(this::processLoop, "pacq-emu-processor");
        this.processor.setDaemon(true);
        this.processor.start();
    }

    /** The machine description. */
    public Config config() {
        return config;
    }

    /** The engine. */
    public GemmEngine engine() {
        return engine;
    }

    /** Device memory (for tests and the XDMA file rig). */
    public DeviceMemory memory() {
        return memory;
    }

    // ------------------------------------------------------------------------------ registers

    /** Reads a register; unknown offsets read 0. */
    public int readReg(int off) {
        synchronized (lock) {
            return switch (off) {
                case Abi.Reg.ID -> Abi.MAGIC;
                case Abi.Reg.ABI_VERSION -> Abi.VERSION_MAJOR << Abi.AbiVersionBits.MAJOR_LSB | Abi.VERSION_MINOR;
                case Abi.Reg.CTRL -> resetPending ? ctrl | Abi.CtrlBits.SOFT_RESET : ctrl;
                case Abi.Reg.STATUS -> status;
                case Abi.Reg.RING_BASE_LO -> ringBaseLo;
                case Abi.Reg.RING_BASE_HI -> ringBaseHi;
                case Abi.Reg.RING_ENTRIES -> ringEntries;
                case Abi.Reg.CPL_BASE_LO -> cplBaseLo;
                case Abi.Reg.CPL_BASE_HI -> cplBaseHi;
                case Abi.Reg.SQ_TAIL -> sqTail;
                case Abi.Reg.SQ_HEAD -> sqHead;
                case Abi.Reg.CPL_COUNT -> cplCount;
                case Abi.Reg.IRQ_STATUS -> irqStatus;
                case Abi.Reg.ERR_CODE -> errCode;
                case Abi.Reg.ERR_INFO -> errInfo;
                case Abi.Reg.SCRATCH -> scratch;
                case Abi.Reg.CYCLES_LO -> {
                    cyclesHiLatch = cycles >>> 32;
                    yield (int) cycles;
                }
                case Abi.Reg.CYCLES_HI -> (int) cyclesHiLatch;
                case Abi.Reg.CAP_CORES -> config.cores();
                case Abi.Reg.CAP_WARPS -> config.warps();
                case Abi.Reg.CAP_LANES -> config.lanes();
                case Abi.Reg.CAP_BITS -> (1 << 2) | (1 << 4) | (1 << 8);
                case Abi.Reg.CAP_MODES -> (1 << Abi.Mode.PACQ) | (1 << Abi.Mode.DEQUANT) | (1 << Abi.Mode.KPACKED);
                case Abi.Reg.CAP_OPCODES -> (1 << Abi.Opcode.NOP) | (1 << Abi.Opcode.GEMM)
                        | (engine instanceof LaunchEngine ? 1 << Abi.Opcode.LAUNCH : 0);
                case Abi.Reg.CAP_MEM_LO -> (int) config.memoryBytes();
                case Abi.Reg.CAP_MEM_HI -> (int) (config.memoryBytes() >>> 32);
                case Abi.Reg.CAP_MAX_RING -> config.maxRing();
                case Abi.Reg.CAP_CLOCK_KHZ -> config.clockKhz();
                case Abi.Reg.CAP_DMEM_LATENCY -> config.dmemLatency();
                case Abi.Reg.CAP_DMEM_BW -> config.dmemBw();
                case Abi.Reg.CAP_SMEM_BYTES -> config.smemBytes();
                case Abi.Reg.CAP_MMA_UNITS -> config.mmaUnits();
                case Abi.Reg.CAP_MODEL -> config.model();
                default -> 0;
            };
        }
    }

    /** Writes a register; read-only and unknown offsets ignore writes. */
    public void writeReg(int off, int v) {
        synchronized (lock) {
            switch (off) {
                case Abi.Reg.CTRL -> {
                    if ((v & Abi.CtrlBits.SOFT_RESET) != 0) {
                        resetPending = true;
                        abort = true;
                    } else {
                        ctrl = v & (Abi.CtrlBits.ENABLE | Abi.CtrlBits.IRQ_EN);
                    }
                }
                case Abi.Reg.RING_BASE_LO -> ringBaseLo = v;
                case Abi.Reg.RING_BASE_HI -> ringBaseHi = v;
                case Abi.Reg.RING_ENTRIES -> ringEntries = v;
                case Abi.Reg.CPL_BASE_LO -> cplBaseLo = v;
                case Abi.Reg.CPL_BASE_HI -> cplBaseHi = v;
                case Abi.Reg.SQ_TAIL -> sqTail = v;
                case Abi.Reg.IRQ_STATUS -> irqStatus &= ~v;
                case Abi.Reg.SCRATCH -> scratch = v;
                default -> { }
            }
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------------------------ DMA

    /** Host-to-card transfer. */
    public void dmaWrite(long address, ByteBuffer src) {
        injectedTransferFailure("host-to-card", address, src.remaining());
        try {
            memory.write(address, src);
        } catch (DeviceMemory.AddressFault e) {
            throw new LinkException("DMA write rejected: " + e.getMessage());
        }
    }

    /** Card-to-host transfer. */
    public void dmaRead(long address, ByteBuffer dst) {
        if (failReads.get() > 0 && failReads.getAndDecrement() > 0) {
            throw new LinkException("injected card-to-host transfer failure at 0x" + Long.toHexString(address)
                    + " (" + dst.remaining() + " bytes)");
        }
        injectedTransferFailure("card-to-host", address, dst.remaining());
        try {
            memory.read(address, dst);
        } catch (DeviceMemory.AddressFault e) {
            throw new LinkException("DMA read rejected: " + e.getMessage());
        }
    }

    private void injectedTransferFailure(String dir, long address, int len) {
        if (failTransfers.get() > 0 && failTransfers.getAndDecrement() > 0) {
            throw new LinkException("injected " + dir + " transfer failure at 0x" + Long.toHexString(address)
                    + " (" + len + " bytes)");
        }
    }

    /** Waits for the interrupt; interrupts raised meanwhile coalesce into one. */
    public boolean awaitInterrupt(long timeoutNanos) throws InterruptedException {
        boolean got = irq.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
        irq.drainPermits();
        return got;
    }

    // --------------------------------------------------------------------------- fault injection

    /** The next command is fetched but never completes (until a soft reset). */
    public void injectHang() {
        hangNext = true;
    }

    /** The next {@code count} DMA transfers fail with a {@link LinkException}. */
    public void injectTransferFailures(int count) {
        failTransfers.set(count);
    }

    /** The next {@code count} card-to-host transfers fail (results, completion records). */
    public void injectReadFailures(int count) {
        failReads.set(count);
    }

    /** While set, a soft reset never finishes (a dead card). */
    public void injectStuckReset(boolean stuck) {
        stuckReset = stuck;
    }

    // ------------------------------------------------------------------------ command processor

    private void processLoop() {
        try {
            while (true) {
                int slot;
                long descAddr;
                long cplAddr;
                synchronized (lock) {
                    while (!shutdown && !resetPending && ((ctrl & Abi.CtrlBits.ENABLE) == 0 || sqHead == sqTail)) {
                        lock.wait();
                    }
                    if (shutdown) {
                        return;
                    }
                    if (resetPending) {
                        doReset();
                        continue;
                    }
                    slot = sqHead & (ringEntries - 1);
                    descAddr = base(ringBaseHi, ringBaseLo) + (long) slot * Abi.Desc.BYTES;
                    cplAddr = base(cplBaseHi, cplBaseLo) + (long) slot * Abi.Cpl.BYTES;
                    sqHead++;
                    status |= Abi.StatusBits.BUSY;
                    abort = false;
                }
                ByteBuffer record = execute(descAddr);
                synchronized (lock) {
                    status &= ~Abi.StatusBits.BUSY;
                    if (resetPending) {
                        continue; // aborted: no completion
                    }
                    int st = record.getInt(Abi.Cpl.STATUS);
                    boolean irqFlag = record.get(Abi.Cpl.BYTES - 1) != 0;
                    record.put(Abi.Cpl.BYTES - 1, (byte) 0);
                    try {
                        memory.write(cplAddr, record.duplicate().clear());
                    } catch (DeviceMemory.AddressFault e) {
                        st = Abi.Status.ADDRESS_FAULT;
                    }
                    cplCount++;
                    irqStatus |= Abi.IrqStatusBits.CPL;
                    if (st != Abi.Status.OK) {
                        irqStatus |= Abi.IrqStatusBits.ERR;
                        if ((status & Abi.StatusBits.ERROR) == 0) {
                            status |= Abi.StatusBits.ERROR;
                            errCode = st;
                            errInfo = (int) record.getLong(Abi.Cpl.ERR_INFO);
                        }
                    }
                    cycles += record.getLong(Abi.Cpl.CYCLES);
                    if ((ctrl & Abi.CtrlBits.IRQ_EN) != 0 && irqFlag) {
                        irq.release();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long base(int hi, int lo) {
        return ((long) hi << 32) | (lo & 0xFFFFFFFFL);
    }

    private void doReset() throws InterruptedException { // under lock
        while (stuckReset && !shutdown) {
            lock.wait(10);
        }
        ctrl = 0;
        status = 0;
        sqHead = 0;
        sqTail = 0;
        cplCount = 0;
        irqStatus = 0;
        errCode = 0;
        errInfo = 0;
        cycles = 0;
        hangNext = false;
        resetPending = false;
        abort = false;
        irq.drainPermits();
        log.debug("emulator reset");
    }

    /**
     * Runs the descriptor at an address; returns the completion record. The last byte of the
     * returned buffer (reserved in the ABI) carries the descriptor's IRQ flag to the caller and is
     * cleared before the record is written.
     */
    private ByteBuffer execute(long descAddr) throws InterruptedException {
        ByteBuffer rec = ByteBuffer.allocate(Abi.Cpl.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer d = ByteBuffer.allocate(Abi.Desc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int st = Abi.Status.OK;
        long info = 0;
        boolean irqFlag = true;
        CommandStats stats = CommandStats.NONE;
        try {
            memory.read(descAddr, d);
            d.flip();
            rec.putInt(Abi.Cpl.SEQ, d.getInt(Abi.Desc.SEQ));
            irqFlag = (d.get(Abi.Desc.FLAGS) & Abi.DescFlags.IRQ) != 0;
            if (hangNext) {
                hangNext = false;
                synchronized (lock) {
                    while (!resetPending && !shutdown) {
                        lock.wait();
                    }
                }
                return rec;
            }
            int opcode = d.get(Abi.Desc.OPCODE) & 0xFF;
            switch (opcode) {
                case Abi.Opcode.NOP -> { }
                case Abi.Opcode.GEMM -> {
                    GemmCommand c = GemmCommand.decode(d);
                    c.checkRanges(memory);
                    stats = engine.run(c, memory, () -> abort);
                }
                case Abi.Opcode.LAUNCH -> {
                    if (!(engine instanceof LaunchEngine le)) {
                        st = Abi.Status.BAD_OPCODE;
                        info = opcode;
                    } else {
                        stats = le.launch(d, memory, () -> abort);
                    }
                }
                default -> {
                    st = Abi.Status.BAD_OPCODE;
                    info = opcode;
                }
            }
        } catch (GemmCommand.BadDescriptor e) {
            st = Abi.Status.BAD_DESCRIPTOR;
            log.debug("bad descriptor at 0x{}: {}", Long.toHexString(descAddr), e.getMessage());
        } catch (DeviceMemory.AddressFault e) {
            st = Abi.Status.ADDRESS_FAULT;
            info = e.address();
        } catch (DeviceFault e) {
            st = e.status();
            info = e.info();
            stats = e.stats();
            log.debug("command at 0x{} failed on the device: {}", Long.toHexString(descAddr), e.getMessage());
        } catch (RuntimeException e) {
            log.error("emulator internal error", e);
            st = Abi.Status.INTERNAL;
        }
        rec.putInt(Abi.Cpl.STATUS, st);
        rec.putLong(Abi.Cpl.ERR_INFO, info);
        rec.putLong(Abi.Cpl.CYCLES, stats.cycles());
        rec.putLong(Abi.Cpl.INSTRUCTIONS, stats.instructions());
        rec.putLong(Abi.Cpl.RF_READS, stats.rfReads());
        rec.putLong(Abi.Cpl.RF_WRITES, stats.rfWrites());
        rec.putLong(Abi.Cpl.SMEM_BYTES, stats.smemBytes());
        rec.putLong(Abi.Cpl.DMEM_READ_BYTES, stats.dmemReadBytes());
        rec.putLong(Abi.Cpl.DMEM_WRITE_BYTES, stats.dmemWriteBytes());
        rec.putLong(Abi.Cpl.MUL_OPS, stats.mulOps());
        rec.putLong(Abi.Cpl.ADD_OPS, stats.addOps());
        rec.putLong(Abi.Cpl.STALL_MEM, stats.stallMem());
        rec.putLong(Abi.Cpl.STALL_DEP, stats.stallDep());
        rec.putLong(Abi.Cpl.STALL_UNIT, stats.stallUnit());
        rec.putLong(Abi.Cpl.STALL_BARRIER, stats.stallBarrier());
        rec.put(Abi.Cpl.BYTES - 1, (byte) (irqFlag ? 1 : 0));
        return rec;
    }

    /** Stops the command processor. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            shutdown = true;
            abort = true;
            lock.notifyAll();
        }
        try {
            processor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
    }
}

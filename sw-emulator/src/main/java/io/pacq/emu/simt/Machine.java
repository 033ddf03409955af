package io.pacq.emu.simt;

import io.pacq.CommandStats;
import io.pacq.abi.Abi;
import io.pacq.emu.DeviceFault;
import io.pacq.emu.DeviceMemory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The cycle-level SIMT machine running one launch (docs/simt.md, sections 4 to 8): all cores in
 * lock step, one cycle at a time, in ascending core order, each core doing tile management, the
 * LSU's transaction presentation, issue (or replay or stall accounting) in that order. Instructions execute
 * at issue on per-lane register arrays; the scoreboard holds the cycle at which each register
 * becomes ready.
 *
 * <p>Not thread-safe: one launch, one thread. Allocates only at construction.
 */
final class Machine {
    static final int LANES = Abi.SIMT_LANES;
    static final int REGS = Abi.SIMT_REGS;
    static final long NEVER = Long.MAX_VALUE;
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int CANON_NAN = 0x7FC00000;
    private static final short CANON_NAN16 = 0x7E00;

    // warp states
    private static final byte RUN = 0;
    private static final byte WAIT_BAR = 1;
    private static final byte EXITED = 2;
    // stall reasons, in priority order (docs/simt.md 6.4)
    private static final int R_NONE = 0;
    private static final int R_DEP = 1;
    private static final int R_BAR = 2;
    private static final int R_UNIT = 3;
    private static final int R_MEM = 4;

    /** What a launch runs. pcs in [pcLo, pcHi) are valid; tiles run on core t mod cores. */
    record Launch(Decoded program, int entry, int pcLo, int pcHi, int tilesX, int tilesY, int[] args,
                  long maxCycles) {}

    /** A launch's outcome: kernel cycles (from first tile start to the end), counters and bank statistics. */
    record Result(long kernelCycles, CommandStats stats, SmemStats smem) {}

    private final SimtConfig cfg;
    private final DeviceMemory mem;
    private final long memSize;
    private final Launch launch;
    private final Decoded prog;
    private final int W;
    private final int occ;
    private final int lat;
    private final long nTiles;
    private final Core[] cores;
    private long chanFree;

    // counters
    private long nInstr, rfRd, rfWr, smemB, dmemRd, dmemWr, mulOps, addOps;
    private final long[] stalls = new long[5];
    // shared-memory instructions by passes (SmemStats)
    private final long[] smemLoadPasses = new long[SmemStats.BANKS + 1];
    private final long[] smemStorePasses = new long[SmemStats.BANKS + 1];

    // scratch for matrix instructions and memory accesses (no allocation per instruction)
    private final float[] fa = new float[16 * 16];
    private final float[] fb = new float[16 * 128];
    private final float[] fc = new float[16 * 128];
    private final int[] zp = new int[128];
    private final long[] addr = new long[LANES];
    private final long[] blocks = new long[LANES];
    private final int[] bankRows = new int[SmemStats.BANKS * LANES];
    private final int[] bankCount = new int[SmemStats.BANKS];

    Machine(SimtConfig cfg, DeviceMemory mem, Launch launch) {
        this.cfg = cfg;
        this.mem = mem;
        this.memSize = mem.size();
        this.launch = launch;
        this.prog = launch.program();
        this.W = cfg.warps();
        this.occ = cfg.channelCyclesPerTx();
        this.lat = cfg.dmemLatency();
        this.nTiles = (long) launch.tilesX() * launch.tilesY();
        this.cores = new Core[cfg.cores()];
        for (int c = 0; c < cores.length; c++) {
            cores[c] = new Core(c, W, cfg.mmaUnits(), cfg.smemBytes());
        }
    }

    /** Per-core state. Registers: regs[((w * REGS) + r) * LANES + lane]. */
    private static final class Core {
        final int id;
        final int[] regs;
        final long[] ready;
        final boolean[] memPend;
        final long[] lock;
        final int[] pc;
        final int[] mask;
        final byte[] state;
        final int[] cachePc;
        final long[] cacheMem;
        final long[] cacheDep;
        final byte[] smem;
        final long[] unitFree;
        final long[] inflight = new long[Abi.MEM_MAX_INFLIGHT];
        int nInflight;
        int last;
        int live;
        int waiting;
        long tile = -1;       // running tile, -1 before the first
        long tileStart;
        boolean done;
        long endCycle;
        long lsuFree;
        long replayEnd;       // a shared-memory instruction replays until this cycle (exclusive)
        // the global memory instruction whose transactions are being presented
        int txLeft;
        int txSlot;
        int txWarp;
        int txReg;
        int txRegs;

        Core(int id, int warps, int units, int smemBytes) {
            this.id = id;
            regs = new int[warps * REGS * LANES];
            ready = new long[warps * REGS];
            memPend = new boolean[warps * REGS];
            lock = new long[warps * REGS];
            pc = new int[warps];
            mask = new int[warps];
            state = new byte[warps];
            cachePc = new int[warps];
            cacheMem = new long[warps];
            cacheDep = new long[warps];
            smem = new byte[smemBytes];
            unitFree = new long[units];
        }
    }

    /** A device error raised by an instruction. */
    private static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final long info;

        Fault(int status, long info, String msg) {
            super(msg, null, false, false);
            this.status = status;
            this.info = info;
        }
    }

    // ---------------------------------------------------------------------------------- run

    /**
     * Runs the launch to its end.
     *
     * @throws DeviceFault for a device error (status, ERR_INFO, counters so far)
     */
    Result run(BooleanSupplier aborted) {
        long t = 0;
        long budget = launch.maxCycles();
        try {
            for (Core c : cores) {
                if (c.id >= nTiles) {
                    c.done = true;
                }
            }
            while (true) {
                if (budget > 0 && t > budget) {
                    throw new Fault(Abi.Status.WATCHDOG, budget, "kernel ran past its budget of " + budget + " cycles");
                }
                boolean allDone = true;
                for (Core c : cores) {
                    if (!c.done) {
                        step(c, t);
                        allDone &= c.done;
                    }
                }
                if (allDone) {
                    return new Result(t, stats(t), new SmemStats(smemLoadPasses, smemStorePasses));
                }
                t++;
                if ((t & 0xFFFF) == 0 && aborted.getAsBoolean()) {
                    throw new Fault(Abi.Status.ABORTED, 0, "aborted");
                }
            }
        } catch (Fault f) {
            throw new DeviceFault(f.status, f.info, stats(t), f.getMessage());
        }
    }

    private CommandStats stats(long cycles) {
        return new CommandStats(cycles, nInstr, rfRd, rfWr, smemB, dmemRd, dmemWr, mulOps, addOps, stalls[R_MEM],
                stalls[R_DEP], stalls[R_UNIT], stalls[R_BAR]);
    }

    private void step(Core c, long t) {
        // 1. tile end / start
        if (c.tile < 0 || (c.live == 0 && c.txLeft == 0 && inflight(c, t) == 0)) {
            long next = c.tile < 0 ? c.id : c.tile + cores.length;
            if (next >= nTiles) {
                c.done = true;
                c.endCycle = t;
                return;
            }
            startTile(c, next, t);
        }
        // 2. present the next transaction of the current global memory instruction
        if (c.txLeft > 0) {
            present(c, t);
        }
        // 3. issue, or account a replay or stall cycle
        if (c.live == 0 || t < c.tileStart + Abi.TILE_LAUNCH_CYCLES) {
            return;
        }
        if (t < c.replayEnd) {
            stalls[R_MEM]++;
            return;
        }
        int worst = R_NONE;
        int w = c.last;
        for (int i = 0; i < W; i++) {
            if (++w == W) {
                w = 0;
            }
            byte st = c.state[w];
            if (st == EXITED) {
                continue;
            }
            if (st == WAIT_BAR) {
                worst = Math.max(worst, R_BAR);
                continue;
            }
            int r = reason(c, w, t);
            if (r == R_NONE) {
                c.last = w;
                issue(c, w, t);
                return;
            }
            worst = Math.max(worst, r);
        }
        stalls[worst]++;
    }

    private void startTile(Core c, long tile, long t) {
        c.tile = tile;
        c.tileStart = t;
        c.live = W;
        c.waiting = 0;
        c.last = W - 1;
        for (int w = 0; w < W; w++) {
            c.pc[w] = launch.entry();
            c.mask[w] = -1;
            c.state[w] = RUN;
            c.cachePc[w] = -1;
        }
    }

    /** Global memory instructions of the core in flight at t (drops the completed ones). */
    private static int inflight(Core c, long t) {
        int n = c.nInflight;
        for (int i = 0; i < n; ) {
            if (c.inflight[i] <= t) {
                c.inflight[i] = c.inflight[--n];
                if (c.txLeft > 0 && c.txSlot == n) {
                    c.txSlot = i;
                }
            } else {
                i++;
            }
        }
        c.nInflight = n;
        return n;
    }

    private void present(Core c, long t) {
        long s = Math.max(t, chanFree);
        chanFree = s + occ;
        if (--c.txLeft == 0) {
            complete(c, s + occ + lat);
        }
    }

    private void complete(Core c, long done) {
        c.inflight[c.txSlot] = done;
        int b = c.txWarp * REGS;
        for (int r = c.txReg; r < c.txReg + c.txRegs; r++) {
            if (r != 0) {
                c.ready[b + r] = done;
            }
        }
    }

    /** R_NONE when warp w may issue at t, else why not. */
    private int reason(Core c, int w, long t) {
        int pc = c.pc[w];
        if (pc < launch.pcLo() || pc >= launch.pcHi()) {
            return R_NONE; // fails at issue
        }
        int i = pc - prog.base;
        if (prog.illegal[i]) {
            return R_NONE;
        }
        if (c.cachePc[w] != pc) {
            scan(c, w, i, t);
        }
        boolean memRegs = t < c.cacheMem[w];
        boolean depRegs = t < c.cacheDep[w];
        int u = prog.unit[i];
        boolean lsuBusy = false;
        boolean unitBusy = false;
        if (u == Abi.Unit.LSU) {
            lsuBusy = c.lsuFree > t || (isGlobal(prog.op[i]) && inflight(c, t) >= Abi.MEM_MAX_INFLIGHT);
        } else if (u == Abi.Unit.MMA) {
            unitBusy = true;
            for (long f : c.unitFree) {
                if (f <= t) {
                    unitBusy = false;
                    break;
                }
            }
        }
        if (memRegs || lsuBusy) {
            return R_MEM;
        }
        if (unitBusy) {
            return R_UNIT;
        }
        return depRegs ? R_DEP : R_NONE;
    }

    /** Latest not-ready time of the registers instruction i needs, split by memory and other producers. */
    private void scan(Core c, int w, int i, long t) {
        int b = w * REGS;
        long m = 0;
        long d = 0;
        boolean unknown = false;
        for (int r : prog.src[i]) {
            long rt = c.ready[b + r];
            if (rt > t) {
                unknown |= rt == NEVER;
                if (c.memPend[b + r]) {
                    m = Math.max(m, rt);
                } else {
                    d = Math.max(d, rt);
                }
            }
        }
        for (int r : prog.dst[i]) {
            long rt = c.ready[b + r];
            if (rt > t) {
                unknown |= rt == NEVER;
                if (c.memPend[b + r]) {
                    m = Math.max(m, rt);
                } else {
                    d = Math.max(d, rt);
                }
            }
            long lk = c.lock[b + r];
            if (lk > t) {
                d = Math.max(d, lk);
            }
        }
        c.cacheMem[w] = m;
        c.cacheDep[w] = d;
        // registers change only when this warp issues; a pending load's time may still be unknown
        c.cachePc[w] = unknown ? -1 : c.pc[w];
    }

    private static boolean isGlobal(int op) {
        return (op & 0xF0) == 0x40;
    }

    // -------------------------------------------------------------------------------- issue

    private Fault fault(int status, long info, String what) {
        return new Fault(status, info, what);
    }

    private void issue(Core c, int w, long t) {
        int pc = c.pc[w];
        if (pc < launch.pcLo() || pc >= launch.pcHi()) {
            throw fault(Abi.Status.ILLEGAL_INSTRUCTION, pc & 0xFFFFFFFFL, "pc " + pc + " outside the program");
        }
        int i = pc - prog.base;
        if (prog.illegal[i]) {
            throw fault(Abi.Status.ILLEGAL_INSTRUCTION, pc, "illegal instruction at pc " + pc);
        }
        nInstr++;
        c.cachePc[w] = -1;
        int op = prog.op[i];
        int mask = c.mask[w];
        int act = Integer.bitCount(mask);
        int u = prog.unit[i];
        if (u != Abi.Unit.MMA) {
            rfRd += (long) prog.nSrc[i] * act;
            rfWr += (long) prog.nDst[i] * act;
        }
        int next = pc + 1;
        long readyAt = t + Abi.LAT_ALU;
        boolean memDst = false;
        int rb0 = (w * REGS) * LANES;
        int[] R = c.regs;
        int d = rb0 + prog.rd[i] * LANES;
        int a = rb0 + prog.ra[i] * LANES;
        int b = rb0 + prog.rb[i] * LANES;
        int imm = prog.imm[i];
        boolean wr = prog.rd[i] != 0;
        switch (op) {
            case Abi.Isa.NOP -> { }
            case Abi.Isa.EXIT -> {
                c.state[w] = EXITED;
                c.live--;
                if (c.live > 0 && c.waiting == c.live) {
                    releaseBarrier(c);
                }
            }
            case Abi.Isa.BAR -> {
                c.state[w] = WAIT_BAR;
                c.waiting++;
                if (c.waiting == c.live) {
                    releaseBarrier(c);
                }
            }
            case Abi.Isa.BRA -> next = pc + imm;
            case Abi.Isa.BZ, Abi.Isa.BNZ -> {
                int zeros = 0;
                for (int l = 0; l < LANES; l++) {
                    if ((mask >>> l & 1) != 0 && R[a + l] == 0) {
                        zeros++;
                    }
                }
                if (zeros != 0 && zeros != act) {
                    throw fault(Abi.Status.DIVERGENCE, pc, "divergent branch at pc " + pc);
                }
                boolean taken = act != 0 && (op == Abi.Isa.BZ ? zeros == act : zeros == 0);
                if (taken) {
                    next = pc + imm;
                }
            }
            case Abi.Isa.SETMASK -> {
                int m = 0;
                for (int l = 0; l < LANES; l++) {
                    if (R[a + l] != 0) {
                        m |= 1 << l;
                    }
                }
                c.mask[w] = m;
                if (prog.ra[i] != 0) {
                    rfRd += LANES - (long) act; // setmask reads all 32 lanes
                }
            }
            case Abi.Isa.UNMASK -> c.mask[w] = -1;
            case Abi.Isa.S2R -> {
                if (wr) {
                    for (int l = 0; l < LANES; l++) {
                        if ((mask >>> l & 1) != 0) {
                            R[d + l] = sreg(c, w, l, imm);
                        }
                    }
                }
            }
            case Abi.Isa.FADD, Abi.Isa.FSUB, Abi.Isa.FMUL, Abi.Isa.FFMA, Abi.Isa.FMAC, Abi.Isa.I2F, Abi.Isa.H2F,
                 Abi.Isa.H2FH, Abi.Isa.F2H, Abi.Isa.F2H2, Abi.Isa.I2H2, Abi.Isa.HMUL2 -> {
                readyAt = t + Abi.LAT_FPU;
                fpu(op, R, d, a, b, mask, act, wr);
            }
            case Abi.Isa.HMMA, Abi.Isa.PMMA, Abi.Isa.KMMA -> {
                mma(c, w, i, t);
                c.pc[w] = next;
                return;
            }
            default -> {
                if (u == Abi.Unit.LSU) {
                    memory(c, w, i, t, mask);
                    c.pc[w] = next;
                    return;
                }
                if (wr) {
                    alu(op, R, d, a, b, imm, mask);
                }
            }
        }
        int rbase = w * REGS;
        for (int r : prog.dst[i]) {
            c.ready[rbase + r] = readyAt;
            c.memPend[rbase + r] = memDst;
        }
        c.pc[w] = next;
    }

    private void releaseBarrier(Core c) {
        for (int w = 0; w < W; w++) {
            if (c.state[w] == WAIT_BAR) {
                c.state[w] = RUN;
            }
        }
        c.waiting = 0;
    }

    private int sreg(Core c, int w, int lane, int s) {
        return switch (s) {
            case Abi.Sreg.LANE -> lane;
            case Abi.Sreg.WARP -> w;
            case Abi.Sreg.CORE -> c.id;
            case Abi.Sreg.TILE_X -> (int) (c.tile % launch.tilesX());
            case Abi.Sreg.TILE_Y -> (int) (c.tile / launch.tilesX());
            case Abi.Sreg.NWARPS -> W;
            case Abi.Sreg.NCORES -> cores.length;
            case Abi.Sreg.NTILES_X -> launch.tilesX();
            case Abi.Sreg.NTILES_Y -> launch.tilesY();
            case Abi.Sreg.SMEM_BYTES -> cfg.smemBytes();
            default -> launch.args()[s - Abi.Sreg.ARG0];
        };
    }

    private static void alu(int op, int[] R, int d, int a, int b, int imm, int mask) {
        for (int l = 0; l < LANES; l++) {
            if ((mask >>> l & 1) == 0) {
                continue;
            }
            int x = R[a + l];
            int y = (op & 0xF0) == 0x10 ? R[b + l] : imm;
            R[d + l] = switch (op) {
                case Abi.Isa.ADD, Abi.Isa.ADDI -> x + y;
                case Abi.Isa.SUB -> x - y;
                case Abi.Isa.MUL, Abi.Isa.MULI -> x * y;
                case Abi.Isa.AND, Abi.Isa.ANDI -> x & y;
                case Abi.Isa.OR, Abi.Isa.ORI -> x | y;
                case Abi.Isa.XOR, Abi.Isa.XORI -> x ^ y;
                case Abi.Isa.SHL, Abi.Isa.SHLI -> x << y;
                case Abi.Isa.SHR, Abi.Isa.SHRI -> x >>> y;
                case Abi.Isa.SRA, Abi.Isa.SRAI -> x >> y;
                case Abi.Isa.SLT, Abi.Isa.SLTI -> x < y ? 1 : 0;
                case Abi.Isa.SLTU, Abi.Isa.SLTIU -> Integer.compareUnsigned(x, y) < 0 ? 1 : 0;
                case Abi.Isa.SEQ, Abi.Isa.SEQI -> x == y ? 1 : 0;
                case Abi.Isa.MIN, Abi.Isa.MINI -> Math.min(x, y);
                case Abi.Isa.MAX, Abi.Isa.MAXI -> Math.max(x, y);
                case Abi.Isa.PACK -> (y << 16) | (x & 0xFFFF);
                case Abi.Isa.SUB2 -> ((x - y) & 0xFFFF) | (((x >>> 16) - (y >>> 16)) << 16);
                case Abi.Isa.BFE -> field(x, imm & 0x1F, (imm >>> 8) & 0x3F);
                case Abi.Isa.UNPK -> {
                    int pos = imm & 0x1F;
                    int len = (imm >>> 8) & 0x3F;
                    yield field(x, pos, len) | field(x, pos + len, len) << 16;
                }
                default -> throw new IllegalStateException("not an ALU opcode " + op);
            };
        }
    }

    /** (x >>> pos) & (2^len - 1), with shifts of 32 or more giving 0. */
    private static int field(int x, int pos, int len) {
        if (pos >= 32 || len == 0) {
            return 0;
        }
        int v = x >>> pos;
        return len >= 32 ? v : v & ((1 << len) - 1);
    }

    private void fpu(int op, int[] R, int d, int a, int b, int mask, int act, boolean wr) {
        switch (op) {
            case Abi.Isa.FMUL -> mulOps += act;
            case Abi.Isa.FADD, Abi.Isa.FSUB -> addOps += act;
            case Abi.Isa.FFMA, Abi.Isa.FMAC -> {
                mulOps += act;
                addOps += act;
            }
            case Abi.Isa.HMUL2 -> mulOps += 2L * act;
            default -> { }
        }
        if (!wr) {
            return;
        }
        for (int l = 0; l < LANES; l++) {
            if ((mask >>> l & 1) == 0) {
                continue;
            }
            int x = R[a + l];
            int y = R[b + l];
            R[d + l] = switch (op) {
                case Abi.Isa.FADD -> f32(f(x) + f(y));
                case Abi.Isa.FSUB -> f32(f(x) - f(y));
                case Abi.Isa.FMUL -> f32(f(x) * f(y));
                case Abi.Isa.FFMA -> f32(Math.fma(f(x), f(y), f(R[d + l])));
                case Abi.Isa.FMAC -> f32(f(R[d + l]) + f(x) * f(y));   // Java rounds the product, then the sum
                case Abi.Isa.I2F -> f32((float) x);
                case Abi.Isa.H2F -> f32(Float.float16ToFloat((short) x));
                case Abi.Isa.H2FH -> f32(Float.float16ToFloat((short) (x >>> 16)));
                case Abi.Isa.F2H -> f16(f(x)) & 0xFFFF;
                case Abi.Isa.F2H2 -> (f16(f(x)) & 0xFFFF) | f16(f(y)) << 16;
                case Abi.Isa.I2H2 -> (f16((short) x) & 0xFFFF) | f16((short) (x >>> 16)) << 16;
                case Abi.Isa.HMUL2 -> (f16(Float.float16ToFloat((short) x) * Float.float16ToFloat((short) y)) & 0xFFFF)
                        | f16(Float.float16ToFloat((short) (x >>> 16)) * Float.float16ToFloat((short) (y >>> 16))) << 16;
                default -> throw new IllegalStateException("not an FPU opcode " + op);
            };
        }
    }

    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    /** FP32 bits with the canonical NaN. */
    static int f32(float v) {
        return v != v ? CANON_NAN : Float.floatToRawIntBits(v);
    }

    /** RN16 with the canonical NaN. */
    static int f16(float v) {
        return v != v ? CANON_NAN16 : Float.floatToFloat16(v);
    }

    // ------------------------------------------------------------------------------- memory

    private void memory(Core c, int w, int i, long t, int mask) {
        int op = prog.op[i];
        boolean global = isGlobal(op);
        boolean store = (op & 8) != 0;
        int size = 1 << (op & 7);
        int regs = Math.max(1, size / 4);
        int[] R = c.regs;
        int base = (w * REGS) * LANES;
        int a = base + prog.ra[i] * LANES;
        int imm = prog.imm[i];
        long limit = global ? memSize : c.smem.length;
        // addresses and faults first: a faulting instruction has no effect
        int n = 0;
        for (int l = 0; l < LANES; l++) {
            if ((mask >>> l & 1) == 0) {
                continue;
            }
            long ad = (R[a + l] + imm) & 0xFFFF_FFFFL;
            if ((ad & (size - 1)) != 0 || ad + size > limit) {
                long info = global ? ad : ad + (1L << 32);
                throw fault(Abi.Status.ADDRESS_FAULT, info, (global ? "device" : "shared") + " memory access of "
                        + size + " bytes at 0x" + Long.toHexString(ad) + " (pc " + (prog.base + i) + ", lane " + l + ")");
            }
            addr[l] = ad;
            n++;
        }
        int rd = prog.rd[i];
        int rb = prog.rb[i];
        if (store) {
            int s = base + rb * LANES;
            for (int l = 0; l < LANES; l++) {
                if ((mask >>> l & 1) != 0) {
                    if (global) {
                        storeGlobal(addr[l], size, R, s + l);
                    } else {
                        storeShared(c.smem, (int) addr[l], size, R, s + l);
                    }
                }
            }
        } else {
            int dd = base + rd * LANES;
            for (int l = 0; l < LANES; l++) {
                if ((mask >>> l & 1) != 0) {
                    if (global) {
                        loadGlobal(addr[l], size, R, dd + l, rd);
                    } else {
                        loadShared(c.smem, (int) addr[l], size, R, dd + l, rd);
                    }
                }
            }
        }
        int rbase = w * REGS;
        if (!global) {
            smemB += (long) n * size;
            int passes = smemPasses(mask);
            (store ? smemStorePasses : smemLoadPasses)[passes]++;
            // replay cycles t + 1 .. t + P - 1: the core issues nothing
            c.lsuFree = t + passes;
            c.replayEnd = t + passes;
            if (!store) {
                for (int r : prog.dst[i]) {
                    c.ready[rbase + r] = t + passes - 1 + Abi.LAT_SMEM;
                    c.memPend[rbase + r] = true;
                }
            }
            return;
        }
        int tx = transactions(mask);
        if (store) {
            dmemWr += (long) tx * Abi.DMEM_TX_BYTES;
        } else {
            dmemRd += (long) tx * Abi.DMEM_TX_BYTES;
            for (int r : prog.dst[i]) {
                c.ready[rbase + r] = NEVER;
                c.memPend[rbase + r] = true;
            }
        }
        inflight(c, t);
        c.txSlot = c.nInflight++;
        c.txWarp = w;
        c.txReg = store ? 0 : rd;
        c.txRegs = store ? 0 : regs;
        if (tx == 0) {
            c.lsuFree = t + 1;
            c.txLeft = 0;
            complete(c, t + 1);
            return;
        }
        c.lsuFree = t + tx;
        c.txLeft = tx;
        present(c, t);
    }

    private static final int BANK_SHIFT = Integer.numberOfTrailingZeros(SmemStats.BANK_BYTES);
    private static final int ROW_SHIFT = Integer.numberOfTrailingZeros(SmemStats.BANKS);

    /**
     * Passes P of a shared-memory access by the active lanes' addresses (docs/simt.md 4): the
     * largest number of distinct rows touched in one bank, 1 when no lane is active. An access is
     * at most 16 bytes and aligned, so each lane touches one (bank, row).
     */
    private int smemPasses(int mask) {
        int passes = 1;
        int touched = 0;
        for (int l = 0; l < LANES; l++) {
            if ((mask >>> l & 1) == 0) {
                continue;
            }
            int word = (int) (addr[l] >>> BANK_SHIFT);
            int bank = word & (SmemStats.BANKS - 1);
            int row = word >>> ROW_SHIFT;
            int at = bank * LANES;
            if ((touched >>> bank & 1) == 0) {
                touched |= 1 << bank;
                bankRows[at] = row;
                bankCount[bank] = 1;
                continue;
            }
            int n = bankCount[bank];
            int k = 0;
            while (k < n && bankRows[at + k] != row) {
                k++;
            }
            if (k == n) {
                bankRows[at + n] = row;
                bankCount[bank] = ++n;
                passes = Math.max(passes, n);
            }
        }
        return passes;
    }

    /** Distinct 64-byte blocks among the active lanes' addresses. */
    private int transactions(int mask) {
        int n = 0;
        boolean sorted = true;
        for (int l = 0; l < LANES; l++) {
            if ((mask >>> l & 1) != 0) {
                long blk = addr[l] >>> 6;
                if (n > 0 && blk < blocks[n - 1]) {
                    sorted = false;
                }
                blocks[n++] = blk;
            }
        }
        if (n == 0) {
            return 0;
        }
        if (!sorted) {
            Arrays.sort(blocks, 0, n);
        }
        int tx = 1;
        for (int k = 1; k < n; k++) {
            if (blocks[k] != blocks[k - 1]) {
                tx++;
            }
        }
        return tx;
    }

    // Device memory pages are little-endian u16 words; accesses are aligned to their size.
    private void loadGlobal(long ad, int size, int[] R, int dst, int rd) {
        short[] p = mem.wordsForRead(ad);
        int o = DeviceMemory.wordIndex(ad);
        switch (size) {
            case 1 -> put(R, dst, rd, (p[o] >>> ((ad & 1) * 8)) & 0xFF);
            case 2 -> put(R, dst, rd, p[o] & 0xFFFF);
            default -> {
                for (int j = 0; j < size / 4; j++) {
                    put(R, dst + j * LANES, rd + j, (p[o + 2 * j] & 0xFFFF) | p[o + 2 * j + 1] << 16);
                }
            }
        }
    }

    private void storeGlobal(long ad, int size, int[] R, int src) {
        short[] p = mem.wordsForWrite(ad);
        int o = DeviceMemory.wordIndex(ad);
        switch (size) {
            case 1 -> {
                int sh = (int) (ad & 1) * 8;
                p[o] = (short) ((p[o] & ~(0xFF << sh)) | (R[src] & 0xFF) << sh);
            }
            case 2 -> p[o] = (short) R[src];
            default -> {
                for (int j = 0; j < size / 4; j++) {
                    int v = R[src + j * LANES];
                    p[o + 2 * j] = (short) v;
                    p[o + 2 * j + 1] = (short) (v >>> 16);
                }
            }
        }
    }

    private static void loadShared(byte[] s, int ad, int size, int[] R, int dst, int rd) {
        switch (size) {
            case 1 -> put(R, dst, rd, s[ad] & 0xFF);
            case 2 -> put(R, dst, rd, (short) I16.get(s, ad) & 0xFFFF);
            default -> {
                for (int j = 0; j < size / 4; j++) {
                    put(R, dst + j * LANES, rd + j, (int) I32.get(s, ad + 4 * j));
                }
            }
        }
    }

    private static void storeShared(byte[] s, int ad, int size, int[] R, int src) {
        switch (size) {
            case 1 -> s[ad] = (byte) R[src];
            case 2 -> I16.set(s, ad, (short) R[src]);
            default -> {
                for (int j = 0; j < size / 4; j++) {
                    I32.set(s, ad + 4 * j, R[src + j * LANES]);
                }
            }
        }
    }

    /** Writes a register unless it is r0. */
    private static void put(int[] R, int idx, int reg, int v) {
        if (reg != 0) {
            R[idx] = v;
        }
    }

    // ------------------------------------------------------------------------------- matrix

    private void mma(Core c, int w, int i, long t) {
        int unit = -1;
        for (int u = 0; u < c.unitFree.length; u++) {
            if (c.unitFree[u] <= t) {
                unit = u;
                break;
            }
        }
        int op = prog.op[i];
        int busy = prog.busy[i];
        int cpw = prog.cpw[i];
        c.unitFree[unit] = t + busy;
        int[] R = c.regs;
        int base = (w * REGS) * LANES;
        int ra = prog.ra[i];
        int rb = prog.rb[i];
        int rd = prog.rd[i];
        int imm = prog.imm[i];
        boolean z = (imm & (1 << 16)) != 0;
        int nt = op == Abi.Isa.HMMA ? 16 : 16 * cpw;  // output columns
        int nacc = nt / 2;                             // accumulator registers per lane
        // A: FP16 [16][16], lane l register j -> elements 8l + 2j, +1
        for (int l = 0; l < LANES; l++) {
            for (int j = 0; j < 4; j++) {
                int v = R[base + (ra + j) * LANES + l];
                fa[8 * l + 2 * j] = Float.float16ToFloat((short) v);
                fa[8 * l + 2 * j + 1] = Float.float16ToFloat((short) (v >>> 16));
            }
        }
        // B as FP32 values [16 k][nt]
        if (op == Abi.Isa.HMMA) {
            for (int l = 0; l < LANES; l++) {
                for (int j = 0; j < 4; j++) {
                    int v = R[base + (rb + j) * LANES + l];
                    fb[8 * l + 2 * j] = Float.float16ToFloat((short) v);
                    fb[8 * l + 2 * j + 1] = Float.float16ToFloat((short) (v >>> 16));
                }
            }
        } else {
            int bits = 16 / cpw;
            int cmask = (1 << bits) - 1;
            int rz = imm & 0xFF;
            for (int n = 0; n < nt; n++) {
                zp[n] = (R[base + rz * LANES + (n >>> 2)] >>> (8 * (n & 3))) & 0xFF;
            }
            for (int l = 0; l < LANES; l++) {
                for (int j = 0; j < 4; j++) {
                    int v = R[base + (rb + j) * LANES + l];
                    for (int h = 0; h < 2; h++) {
                        int word = (v >>> (16 * h)) & 0xFFFF;
                        int wi = 8 * l + 2 * j + h;   // word index in the 256-word block
                        if (op == Abi.Isa.PMMA) {
                            int k = wi >>> 4;
                            int n0 = (wi & 15) * cpw;
                            for (int q = 0; q < cpw; q++) {
                                fb[k * nt + n0 + q] = ((word >>> (q * bits)) & cmask) - zp[n0 + q];
                            }
                        } else {
                            int row = wi / nt;
                            int n = wi % nt;
                            for (int q = 0; q < cpw; q++) {
                                fb[(row * cpw + q) * nt + n] = ((word >>> (q * bits)) & cmask) - zp[n];
                            }
                        }
                    }
                }
            }
        }
        // C: FP32 [16][nt], lane l register j -> element nacc*l + j
        for (int l = 0; l < LANES; l++) {
            for (int j = 0; j < nacc; j++) {
                fc[nacc * l + j] = z ? 0.0f : Float.intBitsToFloat(R[base + (rd + j) * LANES + l]);
            }
        }
        // each product into its own accumulator, sequentially over k
        for (int m = 0; m < 16; m++) {
            int row = m * nt;
            for (int k = 0; k < 16; k++) {
                float av = fa[m * 16 + k];
                int brow = k * nt;
                for (int n = 0; n < nt; n++) {
                    fc[row + n] = Math.fma(av, fb[brow + n], fc[row + n]);
                }
            }
        }
        for (int l = 0; l < LANES; l++) {
            for (int j = 0; j < nacc; j++) {
                if (rd + j != 0) {
                    R[base + (rd + j) * LANES + l] = f32(fc[nacc * l + j]);
                }
            }
        }
        // counters and scoreboard
        long products = 4096L * (op == Abi.Isa.HMMA ? 1 : cpw);
        mulOps += products;
        addOps += products;
        rfRd += (long) prog.nSrc[i] * LANES;
        rfWr += (long) prog.nDst[i] * LANES;
        int rbase = w * REGS;
        long done = t + busy + Abi.LAT_MMA_DRAIN;
        for (int r : prog.src[i]) {
            c.lock[rbase + r] = Math.max(c.lock[rbase + r], t + busy);
        }
        for (int r : prog.dst[i]) {
            c.ready[rbase + r] = done;
            c.memPend[rbase + r] = false;
        }
    }
}

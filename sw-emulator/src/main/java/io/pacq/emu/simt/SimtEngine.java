package io.pacq.emu.simt;

import io.pacq.CommandStats;
import io.pacq.abi.Abi;
import io.pacq.emu.DeviceFault;
import io.pacq.emu.DeviceMemory;
import io.pacq.emu.GemmCommand;
import io.pacq.emu.GemmEngine;
import io.pacq.emu.LaunchEngine;
import io.pacq.quant.PackedWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * The cycle-level SIMT model as the emulator's engine (docs/simt.md): a GEMM command becomes a
 * launch of the built-in kernel for its mode and bits over a grid of tiles; a LAUNCH command runs
 * a program from device memory. Every command gets its own {@link Machine}, so the engine is
 * thread-safe (the emulator runs one command at a time anyway).
 */
public final class SimtEngine implements GemmEngine, LaunchEngine {
    private static final long FOUR_GIB = 1L << 32;
    private final SimtConfig config;
    private SmemStats smem = SmemStats.NONE;   // guarded by this

    /** An engine modelling the given machine; assembles the kernel ROM if not yet done. */
    public SimtEngine(SimtConfig config) {
        this.config = config;
        KernelRom.get();
    }

    /** The machine parameters. */
    public SimtConfig config() {
        return config;
    }

    /**
     * Shared-memory bank statistics ({@link SmemStats}) summed over every command this engine has
     * completed without a device error.
     */
    public synchronized SmemStats smemStats() {
        return smem;
    }

    @Override
    public String name() {
        return "cycle";
    }

    /** Warps per tile that compute a strip for a kernel on this machine (docs/simt.md 9.1); 0 if none fit. */
    public int tileWarps(KernelRom.Kernel k) {
        int fit = (config.smemBytes() - k.smemFixed()) / Math.max(1, k.smemPerWarp());
        return Math.max(0, Math.min(config.warps(), fit));
    }

    @Override
    public CommandStats run(GemmCommand c, DeviceMemory mem, BooleanSupplier aborted) {
        long[][] ranges = {{c.addrA(), c.aBytes()}, {c.addrW(), c.wBytes()}, {c.addrScales(), c.groupEntries() * 2},
                {c.addrC(), c.cBytes()}, c.symmetric() ? new long[] {0, 0} : new long[] {c.addrZeros(), c.groupEntries()}};
        for (long[] r : ranges) {
            if (r[0] + r[1] > FOUR_GIB) {
                throw new GemmCommand.BadDescriptor("operand [0x" + Long.toHexString(r[0]) + ", +" + r[1]
                        + ") is not below 4 GiB, the SIMT machine's address space");
            }
        }
        KernelRom rom = KernelRom.get();
        KernelRom.Kernel k = rom.kernel(c.mode(), c.bits());
        int tw = tileWarps(k);
        if (tw < 1) {
            throw new GemmCommand.BadDescriptor("kernel " + k.name() + " needs " + (k.smemFixed() + k.smemPerWarp())
                    + " bytes of shared memory, the machine has " + config.smemBytes());
        }
        int strips = PackedWeights.strips(c.n(), c.bits());
        int[] args = new int[Abi.KERNEL_ARGS];
        args[Abi.GemmArg.M] = c.m();
        args[Abi.GemmArg.N] = c.n();
        args[Abi.GemmArg.K] = c.k();
        args[Abi.GemmArg.GROUP_SIZE] = c.groupSize();
        args[Abi.GemmArg.GROUP_COLS_LOG2] = Integer.numberOfTrailingZeros(c.groupCols());
        args[Abi.GemmArg.FLAGS] = (c.outF32() ? Abi.DescFlags.OUT_F32 : 0) | (c.symmetric() ? Abi.DescFlags.SYMMETRIC : 0);
        args[Abi.GemmArg.ADDR_A] = (int) c.addrA();
        args[Abi.GemmArg.ADDR_W] = (int) c.addrW();
        args[Abi.GemmArg.ADDR_SCALES] = (int) c.addrScales();
        args[Abi.GemmArg.ADDR_ZEROS] = c.symmetric() ? 0 : (int) c.addrZeros();
        args[Abi.GemmArg.ADDR_C] = (int) c.addrC();
        args[Abi.GemmArg.STRIPS] = strips;
        args[Abi.GemmArg.PADDED_N] = strips * PackedWeights.stripCols(c.bits());
        args[Abi.GemmArg.GROUPS] = c.k() / c.groupSize();
        args[Abi.GemmArg.TILE_WARPS] = tw;
        int tilesX = (strips + tw - 1) / tw;
        int tilesY = (c.m() + Abi.GEMM_TILE_M - 1) / Abi.GEMM_TILE_M;
        Machine.Launch l = new Machine.Launch(rom.decoded(), k.entry(), k.entry(), k.end(), tilesX, tilesY, args, 0);
        return withOverhead(new Machine(config, mem, l), aborted, 0);
    }

    @Override
    public CommandStats launch(ByteBuffer desc, DeviceMemory mem, BooleanSupplier aborted) {
        ByteBuffer d = desc.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long tilesX = d.getInt(Abi.Desc.LAUNCH_TILES_X) & 0xFFFF_FFFFL;
        long tilesY = d.getInt(Abi.Desc.LAUNCH_TILES_Y) & 0xFFFF_FFFFL;
        long words = d.getInt(Abi.Desc.LAUNCH_PROG_WORDS) & 0xFFFF_FFFFL;
        long entry = d.getInt(Abi.Desc.LAUNCH_ENTRY) & 0xFFFF_FFFFL;
        long maxCycles = d.getInt(Abi.Desc.LAUNCH_MAX_CYCLES) & 0xFFFF_FFFFL;
        long progAddr = d.getLong(Abi.Desc.LAUNCH_PROG_ADDR);
        if (tilesX < 1 || tilesY < 1 || tilesX * tilesY > (1 << 24)) {
            throw new GemmCommand.BadDescriptor("LAUNCH grid " + tilesX + " x " + tilesY
                    + ": each side must be >= 1 and the product <= 2^24");
        }
        if (words < 1 || words > Abi.PROG_RAM_WORDS) {
            throw new GemmCommand.BadDescriptor("LAUNCH_PROG_WORDS " + words + " is not in 1 .. " + Abi.PROG_RAM_WORDS);
        }
        if (entry >= words) {
            throw new GemmCommand.BadDescriptor("LAUNCH_ENTRY " + entry + " is not below LAUNCH_PROG_WORDS " + words);
        }
        if (progAddr % Abi.MEM_ALIGN != 0 || progAddr < 0 || progAddr + words * 8 > FOUR_GIB) {
            throw new GemmCommand.BadDescriptor("LAUNCH_PROG_ADDR 0x" + Long.toHexString(progAddr) + " must be "
                    + Abi.MEM_ALIGN + "-byte aligned and below 4 GiB");
        }
        if (!mem.contains(progAddr, words * 8)) {
            throw new DeviceMemory.AddressFault(progAddr, words * 8, mem.size());
        }
        ByteBuffer prog = ByteBuffer.allocate((int) words * 8).order(ByteOrder.LITTLE_ENDIAN);
        mem.read(progAddr, prog);
        prog.flip();
        long[] w = new long[(int) words];
        for (int i = 0; i < w.length; i++) {
            w[i] = prog.getLong();
        }
        int[] args = new int[Abi.KERNEL_ARGS];
        for (int i = 0; i < args.length; i++) {
            args[i] = d.getInt(Abi.Desc.LAUNCH_ARGS + 4 * i);
        }
        long budget = maxCycles == 0 ? Abi.WATCHDOG_DEFAULT_CYCLES : maxCycles;
        int base = Abi.PROG_RAM_BASE;
        Machine.Launch l = new Machine.Launch(new Decoded(w, base), base + (int) entry, base, base + (int) words,
                (int) tilesX, (int) tilesY, args, budget);
        long loadTx = (words * 8 + Abi.DMEM_TX_BYTES - 1) / Abi.DMEM_TX_BYTES;
        long load = loadTx * config.channelCyclesPerTx() + config.dmemLatency();
        return withOverhead(new Machine(config, mem, l), aborted, load);
    }

    /** Runs a program assembled in memory (tests, benchmarks): the LAUNCH path without a descriptor. */
    public CommandStats launch(Program program, int entry, int tilesX, int tilesY, int[] args, long maxCycles,
                               DeviceMemory mem) {
        int base = Abi.PROG_RAM_BASE;
        Machine.Launch l = new Machine.Launch(new Decoded(program.words(), base), base + entry, base,
                base + program.size(), tilesX, tilesY, args.clone(), maxCycles == 0 ? Abi.WATCHDOG_DEFAULT_CYCLES : maxCycles);
        long loadTx = ((long) program.size() * 8 + Abi.DMEM_TX_BYTES - 1) / Abi.DMEM_TX_BYTES;
        long load = loadTx * config.channelCyclesPerTx() + config.dmemLatency();
        return withOverhead(new Machine(config, mem, l), () -> false, load);
    }

    private CommandStats withOverhead(Machine m, BooleanSupplier aborted, long extra) {
        try {
            Machine.Result r = m.run(aborted);
            synchronized (this) {
                smem = smem.plus(r.smem());
            }
            return withCycles(r.stats(), Abi.CMD_OVERHEAD_CYCLES + extra + r.kernelCycles());
        } catch (DeviceFault f) {
            CommandStats s = f.stats();
            throw new DeviceFault(f.status(), f.info(), withCycles(s, Abi.CMD_OVERHEAD_CYCLES + extra + s.cycles()),
                    f.getMessage());
        }
    }

    private static CommandStats withCycles(CommandStats s, long cycles) {
        return new CommandStats(cycles, s.instructions(), s.rfReads(), s.rfWrites(), s.smemBytes(), s.dmemReadBytes(),
                s.dmemWriteBytes(), s.mulOps(), s.addOps(), s.stallMem(), s.stallDep(), s.stallUnit(), s.stallBarrier());
    }
}

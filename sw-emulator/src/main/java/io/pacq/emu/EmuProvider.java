package io.pacq.emu;

import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.InvalidRequestException;
import io.pacq.driver.LinkDevice;
import io.pacq.spi.DeviceProvider;

import java.util.Set;

/**
 * Opens {@code emu:} devices: the bit-exact emulator in this JVM, behind the same driver logic
 * as the hardware backends.
 *
 * <pre>
 *   emu:[?mem=4G][&amp;threads=N][&amp;engine=auto|vector|plain]
 *   emu:?model=cycle[&amp;cores=2][&amp;warps=4][&amp;mma=1][&amp;smem=64k][&amp;dmemlat=40][&amp;dmembw=32][&amp;mem=4G]
 * </pre>
 * mem: device memory (allocated lazily); threads: engine worker threads (default: all
 * processors); engine: which functional engine ({@link GemmEngines}: auto = vector when the
 * Vector API module is present and the machine has wide vectors, else plain). {@code model=cycle}
 * selects the cycle-level SIMT model (docs/simt.md) with its machine parameters instead of a
 * functional engine.
 */
public final class EmuProvider implements DeviceProvider {
    private static final Set<String> PARAMS = Set.of("mem", "threads", "engine", "model", "cores", "warps", "mma",
            "smem", "dmemlat", "dmembw");
    private static final Set<String> CYCLE_PARAMS = Set.of("cores", "warps", "mma", "smem", "dmemlat", "dmembw");

    @Override
    public Set<String> schemes() {
        return Set.of("emu");
    }

    @Override
    public String describe() {
        return "emu: the bit-exact PacQ emulator in this JVM (no hardware needed)";
    }

    @Override
    public Device open(DeviceUri uri, DeviceOptions options) {
        for (String key : uri.query().keySet()) {
            if (!PARAMS.contains(key)) {
                throw new InvalidRequestException("device URI '" + uri + "': unknown parameter '" + key
                        + "'; emu: takes " + new java.util.TreeSet<>(PARAMS));
            }
        }
        if (!uri.path().isEmpty()) {
            throw new InvalidRequestException("device URI '" + uri + "': emu: takes no path, only ?parameters");
        }
        long mem = uri.longParam("mem", 4L << 30);
        if (mem < (16L << 20) || mem % DeviceMemory.PAGE_BYTES != 0) {
            throw new InvalidRequestException("device URI '" + uri + "': mem must be a multiple of 1 MiB and at least 16M");
        }
        String model = uri.param("model", "functional");
        if (model.equals("cycle")) {
            return openCycle(uri, options, mem);
        }
        if (!model.equals("functional")) {
            throw new InvalidRequestException("device URI '" + uri + "': model must be functional or cycle, got '"
                    + model + "'");
        }
        for (String key : uri.query().keySet()) {
            if (CYCLE_PARAMS.contains(key)) {
                throw new InvalidRequestException("device URI '" + uri + "': parameter '" + key
                        + "' needs model=cycle");
            }
        }
        int threads = (int) uri.longParam("threads", Runtime.getRuntime().availableProcessors());
        if (threads < 1 || threads > 1024) {
            throw new InvalidRequestException("device URI '" + uri + "': threads must be 1 .. 1024");
        }
        GemmEngine engine;
        try {
            engine = GemmEngines.create(uri.param("engine", "auto"), threads);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("device URI '" + uri + "': " + e.getMessage());
        }
        EmuDevice device = new EmuDevice(EmuDevice.Config.functional(mem), engine);
        String desc = "PacQ emulator (functional, " + engine.name() + " engine, " + threads + " threads)";
        return LinkDevice.open(new EmuLink(device, desc), uri, options, desc);
    }

    private static Device openCycle(DeviceUri uri, DeviceOptions options, long mem) {
        for (String key : new String[] {"threads", "engine"}) {
            if (uri.query().containsKey(key)) {
                throw new InvalidRequestException("device URI '" + uri + "': parameter '" + key
                        + "' does not apply to model=cycle");
            }
        }
        io.pacq.emu.simt.SimtConfig d = io.pacq.emu.simt.SimtConfig.DEFAULTS;
        io.pacq.emu.simt.SimtConfig cfg;
        try {
            cfg = new io.pacq.emu.simt.SimtConfig(intParam(uri, "cores", d.cores()), intParam(uri, "warps", d.warps()),
                    intParam(uri, "mma", d.mmaUnits()), intParam(uri, "smem", d.smemBytes()),
                    intParam(uri, "dmemlat", d.dmemLatency()), intParam(uri, "dmembw", d.dmemBytesPerCycle()));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("device URI '" + uri + "': " + e.getMessage());
        }
        EmuDevice.Config caps = new EmuDevice.Config(mem, cfg.cores(), cfg.warps(), io.pacq.abi.Abi.SIMT_LANES,
                cfg.smemBytes(), cfg.mmaUnits(), 1024, io.pacq.abi.Abi.Model.EMU_CYCLE, io.pacq.abi.Abi.DEFAULT_CLOCK_KHZ,
                cfg.dmemLatency(), cfg.dmemBytesPerCycle());
        EmuDevice device = new EmuDevice(caps, new io.pacq.emu.simt.SimtEngine(cfg));
        String desc = "PacQ emulator (cycle-level SIMT model: " + cfg.describe() + ")";
        return LinkDevice.open(new EmuLink(device, desc), uri, options, desc);
    }

    private static int intParam(DeviceUri uri, String key, int dflt) {
        long v = uri.longParam(key, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new InvalidRequestException("device URI '" + uri + "': " + key + "=" + v + " is out of range");
        }
        return (int) v;
    }
}

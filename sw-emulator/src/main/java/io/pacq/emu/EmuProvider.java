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
 * </pre>
 * mem: device memory (allocated lazily); threads: engine worker threads (default: all
 * processors); engine: which functional engine
 * ({@link GemmEngines}: auto = vector when the Vector API module is present and the machine has
 * wide vectors, else plain).
 */
public final class EmuProvider implements DeviceProvider {
    private static final Set<String> PARAMS = Set.of("mem", "threads", "engine");

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
}

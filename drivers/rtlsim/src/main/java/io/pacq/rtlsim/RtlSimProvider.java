package io.pacq.rtlsim;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.pacq.Device;
import io.pacq.DeviceOptions;
import io.pacq.DeviceUri;
import io.pacq.IncompatibleDeviceException;
import io.pacq.InvalidRequestException;
import io.pacq.LinkException;
import io.pacq.driver.LinkDevice;
import io.pacq.spi.DeviceProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens {@code rtlsim:} devices: the PacQ RTL itself, Verilated into {@code libpacq_rtlsim.so} and
 * loaded into this JVM through JNA, behind the same driver logic ({@link LinkDevice}) as the
 * emulator and the boards.
 *
 * <pre>
 *   rtlsim:[?lib=PATH][&amp;dmemlat=40][&amp;dmembw=32][&amp;rd_latency=N][&amp;wr_latency=N][&amp;trace=FILE.fst]
 * </pre>
 * lib: the library (default: see {@link #locate}); dmemlat, dmembw: the machine's device-memory
 * timing model (docs/simt.md 6.3), as for {@code emu:?model=cycle}; rd_latency, wr_latency: the
 * AXI memory behind the device in cycles (it only has to be faster than the timing model,
 * docs/rtl.md); trace: write an FST waveform of the whole session. The machine's other parameters
 * (cores, warps, matrix units, shared memory) are those the library was built with.
 *
 * <p>The library is built by {@code make -C hw-fpga rtlsim} (Verilator 5.006 or newer). Thread-safe.
 */
public final class RtlSimProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(RtlSimProvider.class);
    private static final Set<String> PARAMS = Set.of("lib", "dmemlat", "dmembw", "rd_latency", "wr_latency", "trace");
    /** Library file name. */
    public static final String LIB_NAME = "libpacq_rtlsim.so";
    /** Where {@code make -C hw-fpga rtlsim} puts it, relative to the repository root. */
    public static final String BUILD_PATH = "hw-fpga/build/rtlsim/" + LIB_NAME;

    private static final Map<Path, RtlSimLibrary> LOADED = new ConcurrentHashMap<>();

    @Override
    public Set<String> schemes() {
        return Set.of("rtlsim");
    }

    @Override
    public String describe() {
        return "rtlsim: the PacQ Verilog RTL under Verilator, in this JVM (needs " + LIB_NAME
                + ", built by make -C hw-fpga rtlsim)";
    }

    @Override
    public Device open(DeviceUri uri, DeviceOptions options) {
        for (String key : uri.query().keySet()) {
            if (!PARAMS.contains(key)) {
                throw new InvalidRequestException("device URI '" + uri + "': unknown parameter '" + key
                        + "'; rtlsim: takes " + new TreeSet<>(PARAMS));
            }
        }
        if (!uri.path().isEmpty()) {
            throw new InvalidRequestException("device URI '" + uri + "': rtlsim: takes no path, only ?parameters");
        }
        StringBuilder opts = new StringBuilder();
        for (String key : List.of("rd_latency", "wr_latency", "dmemlat")) {
            if (uri.query().containsKey(key)) {
                long v = uri.longParam(key, 0);
                long max = key.equals("dmemlat") ? 1000 : 100_000;
                if (v < 1 || v > max) {
                    throw new InvalidRequestException("device URI '" + uri + "': " + key + " must be 1 .. " + max
                            + " cycles");
                }
                opts.append(key).append('=').append(v).append(',');
            }
        }
        if (uri.query().containsKey("dmembw")) {
            long v = uri.longParam("dmembw", 0);
            if (v != 8 && v != 16 && v != 32 && v != 64) {
                throw new InvalidRequestException("device URI '" + uri + "': dmembw must be 8, 16, 32 or 64 bytes per cycle");
            }
            opts.append("dmembw=").append(v).append(',');
        }
        String trace = uri.param("trace", null);
        if (trace != null) {
            if (trace.isEmpty() || trace.contains(",")) {
                throw new InvalidRequestException("device URI '" + uri + "': trace must be a file path without commas");
            }
            opts.append("trace=").append(trace);
        }
        Path path = locate(uri.param("lib", null));
        RtlSimLibrary lib = load(path);
        Pointer sim = lib.pacq_sim_create(opts.toString());
        if (sim == null) {
            throw new LinkException("rtlsim: could not create the device from " + path + ": " + lib.pacq_sim_error(null));
        }
        String desc = lib.pacq_sim_describe(sim);
        log.debug("rtlsim device from {}: {}", path, desc);
        return LinkDevice.open(new RtlSimLink(lib, sim, desc), uri, options, desc);
    }

    /**
     * Finds the library: the URI's {@code lib}, else system property {@code pacq.rtlsim.lib}, else
     * environment variable {@code PACQ_RTLSIM_LIB}, else {@link #BUILD_PATH} under the working
     * directory or one of its parents (a repository checkout).
     *
     * @throws LinkException naming every place looked at and how to build the library
     */
    public static Path locate(String explicit) {
        List<Path> tried = new ArrayList<>();
        String[][] sources = {
            {"the URI's lib=", explicit},
            {"-Dpacq.rtlsim.lib", System.getProperty("pacq.rtlsim.lib")},
            {"PACQ_RTLSIM_LIB", System.getenv("PACQ_RTLSIM_LIB")},
        };
        for (String[] src : sources) {
            if (src[1] != null && !src[1].isEmpty()) {
                Path p = Path.of(src[1]).toAbsolutePath();
                if (Files.isRegularFile(p)) {
                    return p;
                }
                throw new LinkException("rtlsim: library " + p + " (from " + src[0]
                        + ") does not exist; build it with 'make -C hw-fpga rtlsim'");
            }
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve(BUILD_PATH);
            tried.add(p);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new LinkException("rtlsim: " + LIB_NAME + " not found (looked for " + BUILD_PATH
                + " in the working directory and its parents: " + tried.getFirst() + " ...). Build it with "
                + "'make -C hw-fpga rtlsim' (needs verilator >= 5.006, g++, make, zlib headers), or point "
                + "rtlsim:?lib=PATH, -Dpacq.rtlsim.lib=PATH or PACQ_RTLSIM_LIB at it");
    }

    private static final int RTLD_LAZY = 1;   // <dlfcn.h>; RTLD_LOCAL is 0

    static RtlSimLibrary load(Path path) {
        return LOADED.computeIfAbsent(path, p -> {
            RtlSimLibrary lib;
            try {
                // RTLD_LAZY without RTLD_GLOBAL (JNA's default adds it): two libraries in one
                // process (say, two machine configurations) export the same C interface, and each
                // must call its own.
                lib = Native.load(p.toString(), RtlSimLibrary.class, Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY));
            } catch (UnsatisfiedLinkError e) {
                throw new LinkException("rtlsim: cannot load " + p + ": " + e.getMessage(), e);
            }
            int v = lib.pacq_sim_api_version();
            if (v != RtlSimLibrary.API_VERSION) {
                throw new IncompatibleDeviceException("rtlsim: " + p + " implements C interface version " + v
                        + " but this driver speaks version " + RtlSimLibrary.API_VERSION
                        + "; rebuild it with 'make -C hw-fpga rtlsim'");
            }
            return lib;
        });
    }
}

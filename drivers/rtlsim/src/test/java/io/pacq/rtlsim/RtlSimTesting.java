package io.pacq.rtlsim;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shared by the rtlsim tests: finds the co-simulation library. When verilator is not installed
 * (so the build could not make the library) the calling test is skipped with a loud message;
 * when verilator is installed the library must exist, or the test fails.
 */
final class RtlSimTesting {
    private RtlSimTesting() {}

    private static volatile boolean warned;

    /** The library, or skips the test (verilator missing) or fails it (library missing). */
    static Path library() {
        return library("pacq.rtlsim.lib.default");
    }

    /** The library of the machine with two matrix units per core (hw-fpga/build/rtlsim-mma2). */
    static Path libraryMma2() {
        return library("pacq.rtlsim.lib.mma2");
    }

    /**
     * The library built with the core's SYNTHESIS branches (hw-fpga/build/rtlsim-core-syn): the
     * module instances Yosys maps (ALU and FP lanes, the LSU's byte merges and picks) where the
     * simulation otherwise calls the same functions in processes.
     */
    static Path libraryCoreSyn() {
        return library("pacq.rtlsim.lib.coreSyn");
    }

    private static Path library(String property) {
        String dflt = System.getProperty(property);
        Path lib = dflt != null ? Path.of(dflt) : null;
        if (lib != null && Files.isRegularFile(lib)) {
            return lib.toAbsolutePath().normalize();
        }
        if (!verilatorInstalled()) {
            if (!warned) {
                warned = true;
                System.err.println("""
                        ##########################################################################
                        # WARNING: verilator is not installed, so the RTL co-simulation library  #
                        # was not built: rtlsim tests are SKIPPED. Install verilator >= 5.006,   #
                        # g++, make and zlib headers (apt-get install verilator g++ make         #
                        # zlib1g-dev) to run them.                                               #
                        ##########################################################################""");
            }
            Assumptions.abort("verilator is not installed: rtlsim tests skipped");
        }
        return Assertions.fail("verilator is installed but " + lib + " does not exist: the build "
                + "(hw-fpga/sim/build-rtlsim.sh, make -C hw-fpga rtlsim) did not produce it");
    }

    /** The URI of a device from the library, with extra query parameters ("" for none). */
    static String uri(String extra) {
        return uri(library(), extra);
    }

    static String uri(Path lib, String extra) {
        return "rtlsim:?lib=" + lib + (extra.isEmpty() ? "" : "&" + extra);
    }

    /** Closes each of the test class's devices that was opened. */
    static void closeAll(AutoCloseable... devices) throws Exception {
        for (AutoCloseable d : devices) {
            if (d != null) {
                d.close();
            }
        }
    }

    static boolean verilatorInstalled() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "verilator"))) {
                return true;
            }
        }
        return false;
    }

    /** A fresh link straight to a simulated device (no driver logic). */
    static RtlSimLink link(String options) {
        return link(library(), options);
    }

    /** A fresh link straight to a device simulated by library path. */
    static RtlSimLink link(Path path, String options) {
        RtlSimLibrary lib = RtlSimProvider.load(path);
        var sim = lib.pacq_sim_create(options);
        Assertions.assertNotNull(sim, () -> "pacq_sim_create: " + lib.pacq_sim_error(null));
        return new RtlSimLink(lib, sim, lib.pacq_sim_describe(sim));
    }
}

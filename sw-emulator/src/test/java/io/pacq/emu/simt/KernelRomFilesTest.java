package io.pacq.emu.simt;

import io.pacq.abi.Abi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel ROM the RTL loads is generated from the kernel sources (docs/simt.md 9.3):
 * {@code hw-fpga/rtl/pacq_kernel_rom.hex} (one 64-bit word per line from address 0) and
 * {@code hw-fpga/rtl/pacq_kernel_rom_pkg.sv} (entry points, extents, shared-memory needs). This
 * test fails when they are stale; regenerate with
 * {@code ./mvnw -pl sw-emulator -am test -Dtest=KernelRomFilesTest -Dpacq.rom.write=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class KernelRomFilesTest {
    private static final String HEADER = "GENERATED from sw-emulator/src/main/resources/io/pacq/emu/simt/kernels/*.pasm "
            + "by KernelRomFilesTest. Do not edit.";

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("host-runtime/src/main/abi/pacq_abi.json"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Map<Path, String> generate() {
        KernelRom rom = KernelRom.get();
        StringBuilder hex = new StringBuilder();
        for (long w : rom.words()) {
            hex.append(String.format("%016x", w)).append('\n');
        }
        StringBuilder sv = new StringBuilder();
        sv.append("// ").append(HEADER).append("\n//\n");
        sv.append("// Built-in GEMM kernels of the SIMT machine (docs/simt.md 9). The ROM image is\n");
        sv.append("// pacq_kernel_rom.hex; a GEMM of mode m and bits b launches kernel_entry(m, b) with valid pcs\n");
        sv.append("// [kernel_entry, kernel_end) and TILE_WARPS = min(warps, (smem - kernel_smem_fixed) / kernel_smem_per_warp).\n\n");
        sv.append("package pacq_kernel_rom_pkg;\n\n");
        sv.append("  localparam int unsigned KernelRomWords = ").append(rom.words().length).append(";\n\n");
        List<String> entry = new ArrayList<>();
        List<String> end = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        List<String> perWarp = new ArrayList<>();
        for (KernelRom.Kernel k : rom.kernels()) {
            String n = "Kernel" + camel(k.mode().name()) + "B" + k.bits();
            sv.append("  // ").append(k.name()).append("\n");
            sv.append("  localparam int unsigned ").append(n).append("Entry = ").append(k.entry()).append(";\n");
            sv.append("  localparam int unsigned ").append(n).append("End = ").append(k.end()).append(";\n");
            sv.append("  localparam int unsigned ").append(n).append("SmemFixed = ").append(k.smemFixed()).append(";\n");
            sv.append("  localparam int unsigned ").append(n).append("SmemPerWarp = ").append(k.smemPerWarp()).append(";\n");
            // Results are assigned to the function's name: Yosys 0.23 does not read `return`.
            String sel = "      {8'd" + k.mode().abiCode() + ", 8'd" + k.bits() + "}: %s = ";
            entry.add(sel + n + "Entry;");
            end.add(sel + n + "End;");
            fixed.add(sel + n + "SmemFixed;");
            perWarp.add(sel + n + "SmemPerWarp;");
        }
        for (var f : new Object[][] {{"kernel_entry", entry}, {"kernel_end", end}, {"kernel_smem_fixed", fixed},
            {"kernel_smem_per_warp", perWarp}}) {
            sv.append("\n  // ").append(f[0]).append("(mode, bits): mode is an ABI Mode value, bits 2, 4 or 8; 0 otherwise.\n");
            sv.append("  function automatic int unsigned ").append(f[0])
                    .append("(input logic [7:0] mode, input logic [7:0] bits);\n    case ({mode, bits})\n");
            @SuppressWarnings("unchecked")
            List<String> lines = (List<String>) f[1];
            for (String l : lines) {
                sv.append(String.format(l, f[0])).append('\n');
            }
            sv.append("      default: ").append(f[0]).append(" = 0;\n    endcase\n  endfunction\n");
        }
        sv.append("\nendpackage\n");
        Map<Path, String> out = new LinkedHashMap<>();
        out.put(Path.of("hw-fpga/rtl/pacq_kernel_rom.hex"), hex.toString());
        out.put(Path.of("hw-fpga/rtl/pacq_kernel_rom_pkg.sv"), sv.toString());
        return out;
    }

    private static String camel(String s) {
        return s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    @Test
    void generatedRomFilesAreCurrent() throws IOException {
        Path root = repoRoot();
        boolean write = Boolean.getBoolean("pacq.rom.write");
        List<String> stale = new ArrayList<>();
        for (var e : generate().entrySet()) {
            Path target = root.resolve(e.getKey());
            String current = Files.exists(target) ? Files.readString(target) : null;
            if (!e.getValue().equals(current)) {
                if (write) {
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, e.getValue());
                } else {
                    stale.add(e.getKey().toString());
                }
            }
        }
        assertTrue(stale.isEmpty(), "generated kernel ROM files are stale: " + stale + "; regenerate with ./mvnw -pl "
                + "sw-emulator -am test -Dtest=KernelRomFilesTest -Dpacq.rom.write=true -Dsurefire.failIfNoSpecifiedTests=false");
    }

    @Test
    void romFitsAndKernelsAreContiguous() {
        KernelRom rom = KernelRom.get();
        assertTrue(rom.words().length <= Abi.PROG_ROM_WORDS);
        int pc = 0;
        for (KernelRom.Kernel k : rom.kernels()) {
            assertEquals(pc, k.entry(), k.name());
            assertTrue(k.end() > k.entry());
            pc = k.end();
        }
        assertEquals(rom.words().length, pc);
        assertEquals(9, rom.kernels().size());
    }
}

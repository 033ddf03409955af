package io.pacq.emu.simt;

import io.pacq.GemmMode;
import io.pacq.abi.Abi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in GEMM kernels (docs/simt.md, 9.3): the sources in
 * {@code io/pacq/emu/simt/kernels/*.pasm} assembled for every mode and weight width and
 * concatenated into the ROM image, PACQ, DEQUANT, KPACKED for bits 2, 4, 8. Immutable; the one
 * instance is built on first use.
 */
public final class KernelRom {
    /** Resource folder of the kernel sources. */
    public static final String KERNEL_DIR = "/io/pacq/emu/simt/kernels/";
    private static final int[] BITS = {2, 4, 8};

    /**
     * One kernel in the ROM.
     *
     * @param entry        pc of its first instruction
     * @param end          pc after its last instruction (its valid pcs are [entry, end))
     * @param smemFixed    shared-memory bytes per tile besides the per-warp regions
     * @param smemPerWarp  shared-memory bytes per computing warp
     */
    public record Kernel(String name, GemmMode mode, int bits, int entry, int end, int smemFixed, int smemPerWarp) {}

    private final long[] words;
    private final List<Kernel> kernels;
    private final Decoded decoded;

    private KernelRom() {
        List<Long> all = new ArrayList<>();
        List<Kernel> ks = new ArrayList<>();
        for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT, GemmMode.KPACKED}) {
            String file = mode == GemmMode.DEQUANT ? "dequant.pasm" : "pacq.pasm";
            String src = resource(file);
            for (int bits : BITS) {
                Map<String, Long> sym = symbols(bits);
                sym.put("KPACKED", mode == GemmMode.KPACKED ? 1L : 0L);
                Program p = Assembler.assemble(src, file, sym);
                int entry = all.size();
                for (long w : p.words()) {
                    all.add(w);
                }
                String name = mode.name().toLowerCase(java.util.Locale.ROOT) + "_b" + bits;
                ks.add(new Kernel(name, mode, bits, entry, all.size(), (int) p.meta("SMEM_FIXED"),
                        (int) p.meta("SMEM_PER_WARP")));
            }
        }
        if (all.size() > Abi.PROG_ROM_WORDS) {
            throw new IllegalStateException("kernel ROM needs " + all.size() + " words, PROG_ROM_WORDS is "
                    + Abi.PROG_ROM_WORDS);
        }
        words = all.stream().mapToLong(Long::longValue).toArray();
        kernels = List.copyOf(ks);
        decoded = new Decoded(words, 0);
    }

    private static final class Holder {
        static final KernelRom ROM = new KernelRom();
    }

    /** The ROM (assembled on first use). */
    public static KernelRom get() {
        return Holder.ROM;
    }

    /** Symbols every kernel source sees: BITS, CPW, S, and the GemmArg / ABI names it needs. */
    public static Map<String, Long> symbols(int bits) {
        Map<String, Long> m = new HashMap<>();
        m.put("BITS", (long) bits);
        m.put("CPW", (long) (16 / bits));
        m.put("S", (long) (Abi.STRIP_WORDS * 16 / bits));
        m.put("GROUP_K_MULTIPLE", (long) Abi.GROUP_K_MULTIPLE);
        for (int v = 0; v < Abi.KERNEL_ARGS; v++) {
            String n = Abi.GemmArg.name(v);
            if (!n.startsWith("UNKNOWN")) {
                m.put("ARG_" + n, (long) v);
            }
        }
        m.put("FLAG_OUT_F32", (long) Abi.DescFlags.OUT_F32);
        m.put("FLAG_SYMMETRIC", (long) Abi.DescFlags.SYMMETRIC);
        return m;
    }

    static String resource(String file) {
        try (InputStream in = KernelRom.class.getResourceAsStream(KERNEL_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing kernel source " + KERNEL_DIR + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ROM image from address 0. */
    public long[] words() {
        return words.clone();
    }

    /** All kernels in ROM order. */
    public List<Kernel> kernels() {
        return kernels;
    }

    /** The kernel for a mode and weight width. */
    public Kernel kernel(GemmMode mode, int bits) {
        for (Kernel k : kernels) {
            if (k.mode() == mode && k.bits() == bits) {
                return k;
            }
        }
        throw new IllegalArgumentException("no kernel for " + mode + " INT" + bits);
    }

    Decoded decoded() {
        return decoded;
    }
}

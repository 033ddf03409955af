package io.pacq.emu.simt;

import io.pacq.abi.Abi;

/**
 * A program decoded once into arrays indexed by {@code pc - base}, so that the simulator never
 * decodes or allocates per instruction. Immutable after construction; safe to share.
 *
 * <p>For each instruction: its fields, whether it is illegal, the registers the scoreboard checks
 * (sources and destinations, r0 excluded), and the register-file word counts per lane.
 */
final class Decoded {
    static final int[] NONE = new int[0];

    final int base;
    final int length;
    final int[] op;
    final int[] rd;
    final int[] ra;
    final int[] rb;
    final int[] imm;
    final boolean[] illegal;
    final int[] unit;
    /** Source registers for the scoreboard (r0 excluded; may repeat). */
    final int[][] src;
    /** Destination registers for the scoreboard (r0 excluded). */
    final int[][] dst;
    /** Source register operands other than r0 (RF reads per active lane; x32 for matrix ops). */
    final int[] nSrc;
    /** Destination registers other than r0. */
    final int[] nDst;
    /** Matrix instructions: codes per word (1 for HMMA) and busy cycles. */
    final int[] cpw;
    final int[] busy;

    Decoded(long[] words, int base) {
        this.base = base;
        this.length = words.length;
        int n = words.length;
        op = new int[n];
        rd = new int[n];
        ra = new int[n];
        rb = new int[n];
        imm = new int[n];
        illegal = new boolean[n];
        unit = new int[n];
        src = new int[n][];
        dst = new int[n][];
        nSrc = new int[n];
        nDst = new int[n];
        cpw = new int[n];
        busy = new int[n];
        for (int i = 0; i < n; i++) {
            decode(i, words[i]);
        }
    }

    private void decode(int i, long w) {
        int o = (int) (w & 0xFF);
        int d = (int) (w >>> Abi.Isa.RD_LSB) & 0xFF;
        int a = (int) (w >>> Abi.Isa.RA_LSB) & 0xFF;
        int b = (int) (w >>> Abi.Isa.RB_LSB) & 0xFF;
        int im = (int) (w >>> Abi.Isa.IMM_LSB);
        op[i] = o;
        rd[i] = d;
        ra[i] = a;
        rb[i] = b;
        imm[i] = im;
        src[i] = NONE;
        dst[i] = NONE;
        int fmt = Abi.Isa.format(o);
        unit[i] = Abi.Isa.unit(o);
        if (fmt < 0) {
            illegal[i] = true;
            return;
        }
        final int R = Abi.SIMT_REGS;
        boolean bad = false;
        RegList s = new RegList();
        RegList t = new RegList();
        switch (fmt) {
            case Abi.Format.N, Abi.Format.J -> { }
            case Abi.Format.R -> {
                bad = d >= R || a >= R || b >= R;
                s.add(a, 1).add(b, 1);
                if (o == Abi.Isa.FFMA || o == Abi.Isa.FMAC) {
                    s.add(d, 1);
                }
                t.add(d, 1);
            }
            case Abi.Format.I -> {
                bad = d >= R || a >= R;
                if (o == Abi.Isa.BFE) {
                    bad |= ((im >>> 8) & 0x3F) > 32;
                } else if (o == Abi.Isa.UNPK) {
                    int len = (im >>> 8) & 0x3F;
                    bad |= len < 1 || len > 16;
                }
                s.add(a, 1);
                t.add(d, 1);
            }
            case Abi.Format.U -> {
                bad = d >= R || a >= R;
                s.add(a, 1);
                t.add(d, 1);
            }
            case Abi.Format.SR -> {
                bad = d >= R || Abi.Sreg.name(im).startsWith("UNKNOWN");
                t.add(d, 1);
            }
            case Abi.Format.LD -> {
                int n = Assembler.ldstRegs(o);
                bad = d + n > R || a >= R;
                s.add(a, 1);
                t.add(d, n);
            }
            case Abi.Format.ST -> {
                int n = Assembler.ldstRegs(o);
                bad = b + n > R || a >= R;
                s.add(a, 1).add(b, n);
            }
            case Abi.Format.BR, Abi.Format.M -> {
                bad = a >= R;
                s.add(a, 1);
            }
            case Abi.Format.MH, Abi.Format.MQ -> {
                boolean z = (im & (1 << 16)) != 0;
                int c = 1;
                int nacc = 8;
                int rz = im & 0xFF;
                if (fmt == Abi.Format.MQ) {
                    int bits = (im >>> 8) & 0xFF;
                    if (bits != 2 && bits != 4 && bits != 8) {
                        illegal[i] = true;
                        return;
                    }
                    c = 16 / bits;
                    nacc = 8 * c;
                    bad = rz >= R;
                }
                bad |= d + nacc > R || a + 4 > R || b + 4 > R;
                s.add(a, 4).add(b, 4);
                if (fmt == Abi.Format.MQ) {
                    s.add(rz, 1);
                }
                if (!z) {
                    s.add(d, nacc);
                }
                t.add(d, nacc);
                cpw[i] = c;
                if (o == Abi.Isa.HMMA) {
                    busy[i] = 4096 / Abi.MMA_MULTIPLIERS;
                } else if (o == Abi.Isa.PMMA) {
                    // 4096 (activation, word) pairs over the multipliers, or 4096*cpw accumulations over the adders
                    busy[i] = Math.max(4096 / Abi.MMA_MULTIPLIERS, 4096 * c / Abi.MMA_ADDERS);
                } else {
                    busy[i] = 4096 * c / Abi.MMA_MULTIPLIERS;
                }
            }
            default -> bad = true;
        }
        if (bad) {
            illegal[i] = true;
            return;
        }
        src[i] = s.toArray();
        dst[i] = t.toArray();
        nSrc[i] = src[i].length;
        nDst[i] = dst[i].length;
    }

    /** A small growable list of register numbers that drops r0. */
    private static final class RegList {
        private int[] v = new int[8];
        private int n;

        RegList add(int first, int count) {
            for (int r = first; r < first + count; r++) {
                if (r != 0) {
                    if (n == v.length) {
                        v = java.util.Arrays.copyOf(v, n * 2);
                    }
                    v[n++] = r;
                }
            }
            return this;
        }

        int[] toArray() {
            return n == 0 ? NONE : java.util.Arrays.copyOf(v, n);
        }
    }
}

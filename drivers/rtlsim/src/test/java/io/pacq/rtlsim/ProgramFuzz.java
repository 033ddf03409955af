package io.pacq.rtlsim;

import io.pacq.abi.Abi;

import java.util.SplittableRandom;

/**
 * Random SIMT programs for differential tests: straight-line code (every warp runs the same
 * instructions, so barriers line up and branches never diverge) over every instruction class,
 * with addresses that keep each warp of each tile in its own device-memory and shared-memory
 * region, so a program's result does not depend on how warps and cores interleave.
 *
 * <pre>
 * args: ARG0 = input base (random words), ARG1 = output base, ARG2 = scratch base
 * per warp (tile t, warp w, u = t * NWARPS + w):
 *   input   ARG0 + u * 16 KiB   30 x 512 bytes: the initial r8 .. r127 (ldg.128, lane-major)
 *   output  ARG1 + u * 16 KiB   the final r8 .. r127 (stg.128)
 *   scratch ARG2 + u * 8 KiB    what random global loads and stores touch
 *   smem    w * 2 KiB           what random shared loads and stores touch
 * </pre>
 *
 * Registers: r1 lane, r2 warp slot u, r3 input/output offset, r4 scratch base, r5 smem base,
 * r6 lane * 16, r7 a second per-lane offset; r8 .. r127 random data, of which r9 (address), r10
 * (lane offset) and r11 (mask) also serve as temporaries. Matrix operands use fixed groups (A r40,
 * B r44, z r48, D r64 .. r127) whose contents are whatever the program made of them.
 *
 * <p>Shared-memory accesses pick one of five lane offsets from r5, so that they take 1 to 32
 * passes of the banks (docs/simt.md 4) and replay: lane * 16 (P = 1), (lane &amp; 3) * 512 (4
 * rows of one bank, 8 lanes on each word: P = 4), lane * 48 (every bank once: P = 1), lane * 32
 * (lanes l and l + 16 in two rows of a bank: P = 2), and a random 16-byte word of the region per
 * lane (a random data register and 0x7F0). The active mask lowers P further.
 */
final class ProgramFuzz {
    private ProgramFuzz() {}

    static final int IN_STRIDE = 16 << 10;
    static final int SCRATCH_STRIDE = 8 << 10;
    static final int SMEM_STRIDE = 2 << 10;

    /** The grid the tests launch the programs on (DEFAULT_WARPS warps per tile). */
    static final int TX = 3;
    static final int TY = 2;
    /** Device-memory bases of the input (ARG0), output (ARG1) and scratch (ARG2) blocks. */
    static final int IN = 0x20_0000;
    static final int OUT = 0x80_0000;
    static final int SCRATCH = 0xE0_0000;

    /** A seed's random input and scratch blocks for the TX x TY grid. */
    record Inputs(byte[] in, byte[] scratch) {}

    static Inputs inputs(long seed) {
        int slots = TX * TY * Abi.DEFAULT_WARPS;
        byte[] in = new byte[slots * IN_STRIDE];
        byte[] scratch = new byte[slots * SCRATCH_STRIDE];
        SplittableRandom r = new SplittableRandom(seed * 7919);
        r.nextBytes(in);
        r.nextBytes(scratch);
        return new Inputs(in, scratch);
    }

    private static final String[] ALU_R = {"add", "sub", "mul", "and", "or", "xor", "shl", "shr", "sra", "slt", "sltu",
        "seq", "min", "max", "pack", "sub2"};
    private static final String[] ALU_I = {"addi", "muli", "andi", "ori", "xori", "shli", "shri", "srai", "slti", "sltiu",
        "seqi", "mini", "maxi"};
    private static final String[] FPU_R = {"fadd", "fsub", "fmul", "ffma", "f2h2", "hmul2"};
    private static final String[] FPU_U = {"i2f", "h2f", "h2fh", "f2h", "i2h2"};
    private static final String[] SREGS = {"lane", "warp", "core", "tile_x", "tile_y", "nwarps", "ncores", "ntiles_x",
        "ntiles_y", "smem_bytes", "arg0", "arg5", "arg15"};

    /** A data register r8 .. r39 (below the matrix groups, so they stay intact unless chosen). */
    private static int data(SplittableRandom r) {
        return 8 + r.nextInt(r.nextInt(8) == 0 ? 120 : 32);
    }

    /** A destination that is not one of r1 .. r7. */
    private static int dest(SplittableRandom r) {
        return 8 + r.nextInt(r.nextInt(6) == 0 ? 120 : 32);
    }

    /** Program source for a seed with about {@code n} random instructions. */
    static String program(long seed, int n) {
        java.util.List<String> b = blocks(seed, n);
        return String.join("", b);
    }

    /**
     * The program as blocks: the prologue, one block per random instruction (with its address
     * set-up), the epilogue. Dropping body blocks keeps a valid program (minimising a failure).
     */
    static java.util.List<String> blocks(long seed, int n) {
        java.util.List<String> out = new java.util.ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        s.append("        s2r     r1, lane\n");
        s.append("        s2r     r2, tile_y\n        s2r     r3, ntiles_x\n        mul     r2, r2, r3\n");
        s.append("        s2r     r3, tile_x\n        add     r2, r2, r3\n        s2r     r3, nwarps\n");
        s.append("        mul     r2, r2, r3\n        s2r     r3, warp\n        add     r2, r2, r3\n");
        s.append("        muli    r3, r2, ").append(IN_STRIDE).append('\n');
        s.append("        muli    r4, r2, ").append(SCRATCH_STRIDE).append('\n');
        s.append("        s2r     r6, arg2\n        add     r4, r4, r6\n");
        s.append("        s2r     r5, warp\n        muli    r5, r5, ").append(SMEM_STRIDE).append('\n');
        s.append("        shli    r6, r1, 4\n");
        s.append("        s2r     r7, arg0\n        add     r7, r7, r3\n        add     r7, r7, r6\n");
        for (int q = 0; q < 30; q++) {                       // r8 .. r127 from the input block
            s.append("        ldg.128 r").append(8 + 4 * q).append(", [r7 + ").append(512 * q).append("]\n");
        }
        s.append("        andi    r7, r1, 7\n        shli    r7, r7, 6\n");   // 8 distinct 64-byte blocks
        // Shared memory is unspecified until written: fill this warp's region first.
        for (int q = 0; q < 4; q++) {
            s.append("        add     r9, r5, r6\n        sts.128 [r9 + ").append(512 * q).append("], r")
                    .append(8 + 4 * r.nextInt(8)).append('\n');
        }
        s.append("        bar\n");
        out.add(s.toString());
        for (int i = 0; i < n; i++) {
            s.setLength(0);
            int kind = r.nextInt(100);
            if (kind < 30) {
                if (r.nextBoolean()) {
                    s.append(String.format("        %-7s r%d, r%d, r%d%n", ALU_R[r.nextInt(ALU_R.length)], dest(r), data(r), data(r)));
                } else {
                    s.append(String.format("        %-7s r%d, r%d, %d%n", ALU_I[r.nextInt(ALU_I.length)], dest(r), data(r),
                            r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(-40, 40)));
                }
            } else if (kind < 34) {
                int pos = r.nextInt(32);
                if (r.nextBoolean()) {
                    s.append(String.format("        bfe     r%d, r%d, %d, %d%n", dest(r), data(r), pos, r.nextInt(33)));
                } else {
                    s.append(String.format("        unpk    r%d, r%d, %d, %d%n", dest(r), data(r), pos, 1 + r.nextInt(16)));
                }
            } else if (kind < 36) {
                s.append(String.format("        s2r     r%d, %s%n", dest(r), SREGS[r.nextInt(SREGS.length)]));
            } else if (kind < 56) {
                if (r.nextInt(3) > 0) {
                    s.append(String.format("        %-7s r%d, r%d, r%d%n", FPU_R[r.nextInt(FPU_R.length)], dest(r), data(r), data(r)));
                } else {
                    s.append(String.format("        %-7s r%d, r%d%n", FPU_U[r.nextInt(FPU_U.length)], dest(r), data(r)));
                }
            } else if (kind < 66) {
                // shared memory: this warp's 2 KiB, aligned to the size, with lane offsets that take
                // 1 to 32 passes of the banks (docs/simt.md 4); lane offset + off + size <= 2048
                int lg = r.nextInt(5);
                int size = 1 << lg;
                String sfx = switch (lg) { case 0 -> ".u8"; case 1 -> ".u16"; case 2 -> ""; case 3 -> ".64"; default -> ".128"; };
                String ssfx = switch (lg) { case 0 -> ".8"; case 1 -> ".16"; case 2 -> ""; case 3 -> ".64"; default -> ".128"; };
                int regs = Math.max(1, size / 4);
                int pattern = r.nextInt(5);
                switch (pattern) {
                    case 0 -> s.append("        add     r9, r5, r6\n");   // lane * 16: row 0 of the 32 banks, P = 1
                    case 1 -> s.append("        andi    r10, r1, 3\n        shli    r10, r10, 9\n"
                            + "        add     r9, r5, r10\n");        // (lane & 3) * 512: 4 rows of one bank, P = 4
                    case 2 -> s.append("        muli    r10, r1, 48\n"
                            + "        add     r9, r5, r10\n");        // lane * 48: stride 3 words, every bank once, P = 1
                    case 3 -> s.append("        shli    r10, r1, 5\n"
                            + "        add     r9, r5, r10\n");        // lane * 32: lanes l, l + 16 share a bank, P = 2
                    default -> s.append(String.format("        andi    r10, r%d, 0x7F0%n        add     r9, r5, r10%n",
                            data(r)));                               // a random 16-byte word of the region per lane
                }
                // largest lane offset: 496 (lane * 16), 1536, 1488, 992, 2032
                int span = switch (pattern) { case 3 -> 1024; case 4 -> 16; default -> 512; };
                int off = r.nextInt(span / size) * size;
                if (r.nextBoolean()) {
                    s.append(String.format("        lds%-4s r%d, [r9 + %d]%n", sfx, 8 + regs * r.nextInt(32 / regs), off));
                } else {
                    s.append(String.format("        sts%-4s [r9 + %d], r%d%n", ssfx, off, 8 + regs * r.nextInt(32 / regs)));
                }
            } else if (kind < 80) {
                // global memory: coalesced (lane * 16), 8 blocks (r7) or one word per 64-byte block
                int lg = r.nextInt(5);
                int size = 1 << lg;
                String sfx = switch (lg) { case 0 -> ".u8"; case 1 -> ".u16"; case 2 -> ""; case 3 -> ".64"; default -> ".128"; };
                String ssfx = switch (lg) { case 0 -> ".8"; case 1 -> ".16"; case 2 -> ""; case 3 -> ".64"; default -> ".128"; };
                int regs = Math.max(1, size / 4);
                int pattern = r.nextInt(3);
                String laneOff = switch (pattern) { case 0 -> "r6"; case 1 -> "r7"; default -> "r10"; };
                if (pattern == 2) {
                    s.append("        shli    r10, r1, 6\n");       // 32 blocks: 32 transactions
                }
                int off = r.nextInt(1024 / size) * size;
                s.append("        add     r9, r4, ").append(laneOff).append('\n');
                if (r.nextBoolean()) {
                    s.append(String.format("        ldg%-4s r%d, [r9 + %d]%n", sfx, 8 + regs * r.nextInt(32 / regs), off));
                } else {
                    s.append(String.format("        stg%-4s [r9 + %d], r%d%n", ssfx, off, 8 + regs * r.nextInt(32 / regs)));
                }
            } else if (kind < 85) {
                switch (r.nextInt(5)) {
                    case 4 -> s.append("        setmask r0\n");   // no lane active: every act = 0 path
                    case 0 -> s.append(String.format("        setmask r%d%n", data(r)));
                    case 1 -> s.append(String.format("        andi    r11, r1, %d%n        setmask r11%n", r.nextInt(1, 64)));
                    case 2 -> s.append("        unmask\n");
                    default -> s.append("        nop\n");
                }
            } else if (kind < 88) {
                s.append("        unmask\n        bar\n");
            } else if (kind < 90) {
                // uniform branches (r0 is zero in every lane): taken and not taken
                s.append(String.format("        bz      r0, skip%d%n        addi    r12, r12, 1%nskip%d: bnz     r0, nt%d%n"
                        + "        addi    r13, r13, 1%nnt%d:%n", i, i, i, i));
            } else {
                String d = r.nextBoolean() ? ".z" : "";
                switch (r.nextInt(3)) {
                    case 0 -> s.append("        hmma").append(d).append("  r64, r40, r44\n");
                    case 1, 2 -> {
                        int bits = new int[] {2, 4, 8}[r.nextInt(3)];
                        // zero points below 2^bits in every byte of every lane (the contract's
                        // range; docs/rtl.md: what PMMA/KMMA do with larger ones is an open question)
                        long zm = ((1L << bits) - 1) * 0x01010101L;
                        String op = r.nextBoolean() ? "pmma" : "kmma";
                        s.append(String.format("        unmask%n        andi    r48, r48, %d%n", (int) zm));
                        s.append("        ").append(op).append(d).append("  r64, r40, r44, r48, ").append(bits).append('\n');
                    }
                    default -> { }
                }
            }
            out.add(s.toString());
        }
        s.setLength(0);
        s.append("        unmask\n");
        s.append("        s2r     r7, arg1\n        add     r7, r7, r3\n        add     r7, r7, r6\n");
        for (int q = 0; q < 30; q++) {
            s.append("        stg.128 [r7 + ").append(512 * q).append("], r").append(8 + 4 * q).append('\n');
        }
        s.append("        exit\n");
        out.add(s.toString());
        return out;
    }
}

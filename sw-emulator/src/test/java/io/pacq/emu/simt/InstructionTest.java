package io.pacq.emu.simt;

import io.pacq.abi.Abi;
import io.pacq.emu.DeviceFault;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One test per instruction of the ISA (docs/simt.md, section 4; pacq_abi.json isa), each against
 * values worked out by hand from the specification: literal bit patterns for floating point,
 * the stated formula for per-lane integer results. Lane l starts with r1 = l; r10 is the result.
 */
class InstructionTest {
    private final SimtRig rig = new SimtRig();

    private static int[] perLane(java.util.function.IntUnaryOperator f) {
        int[] v = new int[32];
        for (int l = 0; l < 32; l++) {
            v[l] = f.applyAsInt(l);
        }
        return v;
    }

    private void expectAll(int want, String body) {
        int[] got = rig.lanes(body);
        for (int l = 0; l < 32; l++) {
            assertEquals(want, got[l], () -> String.format("lane got 0x%08X, want 0x%08X", got[0], want));
        }
    }

    // ---------------------------------------------------------------- control

    @Test
    void nop() {
        expectAll(7, "li r10, 7\nnop\nnop");
    }

    @Test
    void exitEndsTheWarp() {
        // the store after exit never happens
        rig.run("s2r r1, lane\nli r10, 5\nshli r2, r1, 2\nexit\nstg [r2 + 0x10000], r10\nexit");
        assertEquals(0, rig.word(SimtRig.OUT));
    }

    @Test
    void bar() {
        // a lone warp passes its own barrier
        expectAll(3, "li r10, 3\nbar");
    }

    @Test
    void bra() {
        expectAll(1, "li r10, 1\nbra skip\nli r10, 2\nskip: nop");
    }

    @Test
    void bz() {
        expectAll(11, "li r10, 10\nbz r0, t\nli r10, 99\nt: addi r10, r10, 1\nli r3, 4\nbz r3, u\nbra v\nu: li r10, 0\nv: nop");
    }

    @Test
    void bnz() {
        expectAll(21, "li r10, 20\nli r3, -1\nbnz r3, t\nli r10, 99\nt: addi r10, r10, 1\nbnz r0, u\nbra v\nu: li r10, 0\nv: nop");
    }

    @Test
    void bzDivergenceIsADeviceError() {
        DeviceFault f = rig.fail("s2r r1, lane\nandi r3, r1, 1\nbz r3, x\nx: exit");
        assertEquals(Abi.Status.DIVERGENCE, f.status());
        assertEquals(Abi.PROG_RAM_BASE + 2, f.info());
    }

    @Test
    void setmask() {
        // only even lanes take the write; a branch sees only the active lanes
        assertArrayEquals(perLane(l -> l % 2 == 0 ? 1 : 2), rig.lanes(
                "li r10, 2\nandi r3, r1, 1\nseqi r3, r3, 0\nsetmask r3\nli r10, 1\nbnz r3, ok\nli r10, 9\nok: unmask"));
    }

    @Test
    void unmask() {
        assertArrayEquals(perLane(l -> l < 4 ? 5 : 6), rig.lanes(
                "li r10, 5\nslti r3, r1, 4\nseqi r3, r3, 0\nsetmask r3\nli r10, 6\nunmask\nnop"));
    }

    @Test
    void s2r() {
        SimtRig r = new SimtRig(SimtConfig.DEFAULTS.withCores(3).withWarps(2));
        // tile (x, y) = (2, 1) of a 3 x 2 grid is tile 5 -> core 5 mod 3 = 2
        r.runGrid("""
                s2r r3, tile_x
                s2r r4, tile_y
                seqi r5, r3, 2
                seqi r6, r4, 1
                and r5, r5, r6
                s2r r7, warp
                seqi r8, r7, 1
                and r5, r5, r8
                bz r5, done
                s2r r1, lane
                shli r2, r1, 5
                s2r r10, lane
                stg [r2 + 0x10000], r10
                s2r r10, warp
                stg [r2 + 0x10004], r10
                s2r r10, core
                stg [r2 + 0x10008], r10
                s2r r10, nwarps
                stg [r2 + 0x1000C], r10
                s2r r10, ncores
                stg [r2 + 0x10010], r10
                s2r r10, ntiles_x
                stg [r2 + 0x10014], r10
                s2r r10, ntiles_y
                stg [r2 + 0x10018], r10
                s2r r10, arg15
                stg [r2 + 0x1001C], r10
                done: exit
                """, 3, 2, 100_000L, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1234567);
        for (int l = 0; l < 32; l++) {
            long b = 0x10000 + 32L * l;
            assertArrayEquals(new int[] {l, 1, 2, 2, 3, 3, 2, 0x1234567},
                    new int[] {r.word(b), r.word(b + 4), r.word(b + 8), r.word(b + 12), r.word(b + 16),
                            r.word(b + 20), r.word(b + 24), r.word(b + 28)}, "lane " + l);
        }
    }

    // ---------------------------------------------------------------- integer, register forms

    private static final String XY = "muli r3, r1, 0x01010101\naddi r3, r3, -40\nmuli r4, r1, -7\naddi r4, r4, 3\n";

    private static int x(int l) {
        return l * 0x01010101 - 40;
    }

    private static int y(int l) {
        return l * -7 + 3;
    }

    @Test void add() { assertArrayEquals(perLane(l -> x(l) + y(l)), rig.lanes(XY + "add r10, r3, r4")); }
    @Test void sub() { assertArrayEquals(perLane(l -> x(l) - y(l)), rig.lanes(XY + "sub r10, r3, r4")); }
    @Test void mul() { assertArrayEquals(perLane(l -> x(l) * y(l)), rig.lanes(XY + "mul r10, r3, r4")); }
    @Test void and() { assertArrayEquals(perLane(l -> x(l) & y(l)), rig.lanes(XY + "and r10, r3, r4")); }
    @Test void or() { assertArrayEquals(perLane(l -> x(l) | y(l)), rig.lanes(XY + "or r10, r3, r4")); }
    @Test void xor() { assertArrayEquals(perLane(l -> x(l) ^ y(l)), rig.lanes(XY + "xor r10, r3, r4")); }

    @Test
    void shl() {
        // the amount is taken mod 32: lane l shifts by l + 32 = l
        assertArrayEquals(perLane(l -> 0x80000001 << l), rig.lanes("li r3, 0x80000001\naddi r4, r1, 32\nshl r10, r3, r4"));
    }

    @Test
    void shr() {
        assertArrayEquals(perLane(l -> 0x80000001 >>> l), rig.lanes("li r3, 0x80000001\nshr r10, r3, r1"));
    }

    @Test
    void sra() {
        assertArrayEquals(perLane(l -> 0x80000001 >> l), rig.lanes("li r3, 0x80000001\nsra r10, r3, r1"));
    }

    @Test
    void slt() {
        // signed: -1 < l for every lane; l < 16 only for the low lanes
        assertArrayEquals(perLane(l -> (l < 16 ? 1 : 0) + 2), rig.lanes(
                "li r3, 16\nslt r10, r1, r3\nli r4, -1\nslt r5, r4, r1\nshli r5, r5, 1\nadd r10, r10, r5"));
    }

    @Test
    void sltu() {
        // unsigned: 0xFFFFFFFF is the largest value
        assertArrayEquals(perLane(l -> l < 16 ? 1 : 0), rig.lanes("li r3, 16\nsltu r10, r1, r3\nli r4, -1\nsltu r5, r4, r1\nadd r10, r10, r5"));
    }

    @Test
    void seq() {
        assertArrayEquals(perLane(l -> l == 9 ? 1 : 0), rig.lanes("li r3, 9\nseq r10, r1, r3"));
    }

    @Test
    void min() {
        assertArrayEquals(perLane(l -> Math.min(x(l), y(l))), rig.lanes(XY + "min r10, r3, r4"));
    }

    @Test
    void max() {
        assertArrayEquals(perLane(l -> Math.max(x(l), y(l))), rig.lanes(XY + "max r10, r3, r4"));
    }

    @Test
    void pack() {
        assertEquals(0xEF01ABCD, rig.lane0("li r3, 0x1234ABCD\nli r4, 0x5678EF01\npack r10, r3, r4"));
    }

    @Test
    void sub2() {
        // low: 3 - 7 = -4 = 0xFFFC (no borrow into the high half), high: 5 - 1 = 4
        assertEquals(0x0004FFFC, rig.lane0("li r3, 0x00050003\nli r4, 0x00010007\nsub2 r10, r3, r4"));
    }

    // ---------------------------------------------------------------- integer, immediate forms

    @Test void addi() { assertArrayEquals(perLane(l -> x(l) - 100000), rig.lanes(XY + "addi r10, r3, -100000")); }
    @Test void muli() { assertArrayEquals(perLane(l -> x(l) * 1000003), rig.lanes(XY + "muli r10, r3, 1000003")); }
    @Test void andi() { assertArrayEquals(perLane(l -> x(l) & 0xF0F0F0F0), rig.lanes(XY + "andi r10, r3, 0xF0F0F0F0")); }
    @Test void ori() { assertArrayEquals(perLane(l -> x(l) | 0x0F), rig.lanes(XY + "ori r10, r3, 0x0F")); }
    @Test void xori() { assertArrayEquals(perLane(l -> x(l) ^ -1), rig.lanes(XY + "xori r10, r3, -1")); }
    @Test void shli() { assertEquals(0x00000010, rig.lane0("li r3, 0x80000001\nshli r10, r3, 36")); }
    @Test void shri() { assertEquals(0x08000000, rig.lane0("li r3, 0x80000001\nshri r10, r3, 4")); }
    @Test void srai() { assertEquals(0xF8000000, rig.lane0("li r3, 0x80000001\nsrai r10, r3, 4")); }
    @Test void slti() { assertArrayEquals(perLane(l -> l < 5 ? 1 : 0), rig.lanes("slti r10, r1, 5")); }

    @Test
    void sltiu() {
        // -1 as an unsigned immediate is 0xFFFFFFFF: every lane is below it
        assertArrayEquals(perLane(l -> 1 + (l < 3 ? 2 : 0)), rig.lanes("sltiu r10, r1, -1\nsltiu r5, r1, 3\nshli r5, r5, 1\nadd r10, r10, r5"));
    }

    @Test void seqi() { assertArrayEquals(perLane(l -> l == 31 ? 1 : 0), rig.lanes("seqi r10, r1, 31")); }
    @Test void mini() { assertArrayEquals(perLane(l -> Math.min(l, 10)), rig.lanes("mini r10, r1, 10")); }
    @Test void maxi() { assertArrayEquals(perLane(l -> Math.max(l - 20, -3)), rig.lanes("addi r3, r1, -20\nmaxi r10, r3, -3")); }

    @Test
    void bfe() {
        assertEquals(0x23, rig.lane0("li r3, 0xABCD1234\nbfe r10, r3, 4, 8"));
        assertEquals(0, rig.lane0("li r3, 0xABCD1234\nbfe r10, r3, 4, 0"));
        assertEquals(0xABCD1234, rig.lane0("li r3, 0xABCD1234\nbfe r10, r3, 0, 32"));
        assertEquals(0xA, rig.lane0("li r3, 0xABCD1234\nbfe r10, r3, 28, 8"));
    }

    @Test
    void unpk() {
        assertEquals(0x000A0005, rig.lane0("li r3, 0xA5\nunpk r10, r3, 0, 4"));
        // the second field starts at bit 32: it is 0
        assertEquals(0x0000000F, rig.lane0("li r3, 0xF0000000\nunpk r10, r3, 28, 4"));
        assertEquals(0x00CD00AB, rig.lane0("li r3, 0x00CDAB00\nunpk r10, r3, 8, 8"));
        assertEquals(0x00030002, rig.lane0("li r3, 0x000000E0\nunpk r10, r3, 4, 2"));
    }

    // ---------------------------------------------------------------- floating point

    @Test
    void fadd() {
        assertEquals(0x40700000, rig.lane0("li r3, 0x3FC00000\nli r4, 0x40100000\nfadd r10, r3, r4"));   // 1.5 + 2.25
        assertEquals(0x7FC00000, rig.lane0("li r3, 0x7F800000\nli r4, 0xFF800000\nfadd r10, r3, r4"));   // inf - inf
        assertEquals(0x7FC00000, rig.lane0("li r3, 0x7F800001\nli r4, 0x3F800000\nfadd r10, r3, r4"));   // sNaN payload
        assertEquals(0x00000000, rig.lane0("li r3, 0x80000000\nli r4, 0x00000000\nfadd r10, r3, r4"));   // -0 + +0 = +0
        assertEquals(0x00800000, rig.lane0("li r3, 0x00400000\nli r4, 0x00400000\nfadd r10, r3, r4"));   // subnormals
    }

    @Test
    void fsub() {
        assertEquals(0xBF400000, rig.lane0("li r3, 0x3FC00000\nli r4, 0x40100000\nfsub r10, r3, r4"));   // -0.75
    }

    @Test
    void fmul() {
        assertEquals(0x40580000, rig.lane0("li r3, 0x3FC00000\nli r4, 0x40100000\nfmul r10, r3, r4"));   // 3.375
        assertEquals(0x7FC00000, rig.lane0("li r3, 0x7F800000\nli r4, 0x00000000\nfmul r10, r3, r4"));   // inf * 0
        assertEquals(0x80000000, rig.lane0("li r3, 0x80000000\nli r4, 0x3F800000\nfmul r10, r3, r4"));   // -0 * 1
    }

    @Test
    void ffma() {
        // (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly when fused (0 when the product is rounded first)
        assertEquals(0x33800000, rig.lane0("li r3, 0x3F800800\nli r10, 0xBF801000\nffma r10, r3, r3"));
    }

    @Test
    void fmac() {
        // the same operands as ffma: the product rounds to 1 + 2^-11 first (a tie, to even), so the sum is +0
        assertEquals(0x00000000, rig.lane0("li r3, 0x3F800800\nli r10, 0xBF801000\nfmac r10, r3, r3"));
        assertEquals(0x40A00000, rig.lane0("li r3, 0x3FC00000\nli r4, 0x40000000\nli r10, 0x40000000\nfmac r10, r3, r4")); // 2 + 3
        assertEquals(0x7FC00000, rig.lane0("li r3, 0x7F800000\nli r4, 0x00000000\nli r10, 0x3F800000\nfmac r10, r3, r4"));
    }

    @Test
    void i2f() {
        assertEquals(0xC0E00000, rig.lane0("li r3, -7\ni2f r10, r3"));
        assertEquals(0x4B800000, rig.lane0("li r3, 16777217\ni2f r10, r3"));   // 2^24 + 1 -> 2^24 (even)
    }

    @Test
    void h2f() {
        assertEquals(0x3F800000, rig.lane0("li r3, 0xFFFF3C00\nh2f r10, r3"));   // 1.0 from the low half
        assertEquals(0x33800000, rig.lane0("li r3, 0x0001\nh2f r10, r3"));       // 2^-24
        assertEquals(0x7FC00000, rig.lane0("li r3, 0x7D01\nh2f r10, r3"));       // NaN -> canonical
        assertEquals(0xC77FE000, rig.lane0("li r3, 0xFBFF\nh2f r10, r3"));       // -65504
    }

    @Test
    void h2fh() {
        assertEquals(0xBF800000, rig.lane0("li r3, 0xBC001234\nh2fh r10, r3"));  // -1.0 from the high half
    }

    @Test
    void f2h() {
        assertEquals(0x00003C00, rig.lane0("li r3, 0x3F800000\nf2h r10, r3"));
        assertEquals(0x00007C00, rig.lane0("li r3, 0x477FF000\nf2h r10, r3"));   // 65520: tie -> 65536 = inf
        assertEquals(0x00007BFF, rig.lane0("li r3, 0x477FEFFF\nf2h r10, r3"));   // just below: 65504
        assertEquals(0x00007E00, rig.lane0("li r3, 0x7F800001\nf2h r10, r3"));   // NaN
        assertEquals(0x00000000, rig.lane0("li r3, 0x33000000\nf2h r10, r3"));   // 2^-25: tie -> 0 (even)
        assertEquals(0x00000001, rig.lane0("li r3, 0x33400000\nf2h r10, r3"));   // 0.75 * 2^-24 -> 2^-24
        assertEquals(0x00008000, rig.lane0("li r3, 0x80000001\nf2h r10, r3"));   // tiny negative -> -0
    }

    @Test
    void f2h2() {
        assertEquals(0xC0003C00, rig.lane0("li r3, 0x3F800000\nli r4, 0xC0000000\nf2h2 r10, r3, r4"));
    }

    @Test
    void i2h2() {
        // -3 -> 0xC200; 2049 -> tie between 2048 and 2050 -> 2048 (even) = 0x6800
        assertEquals(0x6800C200, rig.lane0("li r3, 0x0801FFFD\ni2h2 r10, r3"));
    }

    @Test
    void hmul2() {
        // 1.5 * 1.5 = 2.25 (0x4080); 65504 * 2 overflows to inf (0x7C00)
        assertEquals(0x7C004080, rig.lane0("li r3, 0x7BFF3E00\nli r4, 0x40003E00\nhmul2 r10, r3, r4"));
        // inf * 0 = NaN -> 0x7E00; 2^-24 * 0.5 = 2^-25 -> tie -> +0
        assertEquals(0x00007E00, rig.lane0("li r3, 0x00017C00\nli r4, 0x38000000\nhmul2 r10, r3, r4"));
    }

    // ---------------------------------------------------------------- device memory

    private static final String ADDR = "shli r2, r1, 4\naddi r2, r2, 0x20000\n"; // lane l: 0x20000 + 16 l

    private void fillSource() {
        for (int i = 0; i < 32 * 4; i++) {
            rig.mem.writeInt(0x20000 + 4L * i, 0x01020304 * (i + 1));
        }
    }

    private static int src(int word) {
        return 0x01020304 * (word + 1);
    }

    @Test
    void ldgU8() {
        fillSource();
        assertArrayEquals(perLane(l -> src(4 * l) >>> 8 & 0xFF), rig.lanes(ADDR + "ldg.u8 r10, [r2 + 1]"));
    }

    @Test
    void ldgU16() {
        fillSource();
        assertArrayEquals(perLane(l -> src(4 * l) >>> 16 & 0xFFFF), rig.lanes(ADDR + "ldg.u16 r10, [r2 + 2]"));
    }

    @Test
    void ldg() {
        fillSource();
        assertArrayEquals(perLane(l -> src(4 * l + 3)), rig.lanes(ADDR + "ldg r10, [r2 + 12]"));
    }

    @Test
    void ldg64() {
        fillSource();
        assertArrayEquals(perLane(l -> src(4 * l + 2) ^ src(4 * l + 3)), rig.lanes(ADDR + "ldg.64 r10, [r2 + 8]\nxor r10, r10, r11"));
    }

    @Test
    void ldg128() {
        fillSource();
        assertArrayEquals(perLane(l -> src(4 * l) + 2 * src(4 * l + 1) + 3 * src(4 * l + 2) + 4 * src(4 * l + 3)),
                rig.lanes(ADDR + "ldg.128 r12, [r2]\nshli r13, r13, 1\nmuli r14, r14, 3\nshli r15, r15, 2\n"
                        + "add r10, r12, r13\nadd r10, r10, r14\nadd r10, r10, r15"));
    }

    private int[] stored(int words) {
        int[] v = new int[32 * words];
        for (int i = 0; i < v.length; i++) {
            v[i] = rig.word(0x30000 + 4L * i);
        }
        return v;
    }

    private static final String SADDR = "shli r2, r1, 4\naddi r2, r2, 0x30000\nmuli r5, r1, 0x11111111\naddi r6, r5, 1\naddi r7, r5, 2\naddi r8, r5, 3\n";

    @Test
    void stg8() {
        rig.putInts(0x30000, new int[128]);
        rig.lanes(SADDR + "stg.8 [r2 + 3], r5");
        int[] v = stored(4);
        for (int l = 0; l < 32; l++) {
            assertEquals((l * 0x11111111) << 24, v[4 * l], "lane " + l);
        }
    }

    @Test
    void stg16() {
        rig.lanes(SADDR + "stg.16 [r2 + 6], r5");
        int[] v = stored(4);
        for (int l = 0; l < 32; l++) {
            assertEquals((l * 0x11111111) << 16, v[4 * l + 1], "lane " + l);
        }
    }

    @Test
    void stg() {
        rig.lanes(SADDR + "stg [r2 + 4], r5");
        int[] v = stored(4);
        for (int l = 0; l < 32; l++) {
            assertEquals(l * 0x11111111, v[4 * l + 1]);
        }
    }

    @Test
    void stg64() {
        rig.lanes(SADDR + "stg.64 [r2 + 8], r5");
        int[] v = stored(4);
        for (int l = 0; l < 32; l++) {
            assertArrayEquals(new int[] {l * 0x11111111, l * 0x11111111 + 1}, new int[] {v[4 * l + 2], v[4 * l + 3]});
        }
    }

    @Test
    void stg128() {
        rig.lanes(SADDR + "stg.128 [r2], r5");
        int[] v = stored(4);
        for (int l = 0; l < 32; l++) {
            int b = l * 0x11111111;
            assertArrayEquals(new int[] {b, b + 1, b + 2, b + 3}, new int[] {v[4 * l], v[4 * l + 1], v[4 * l + 2], v[4 * l + 3]});
        }
    }

    @Test
    void storesOfOverlappingLanesApplyInLaneOrder() {
        // every lane writes its index to the same word: the highest lane wins
        rig.lanes("li r2, 0x30000\nstg [r2], r1");
        assertEquals(31, rig.word(0x30000));
    }

    // ---------------------------------------------------------------- shared memory

    private static final String SM = "shli r2, r1, 4\nmuli r5, r1, 0x01010101\naddi r5, r5, 0x10203040\naddi r6, r5, 1\naddi r7, r5, 2\naddi r8, r5, 3\nsts.128 [r2], r5\n";

    private static int sm(int l, int j) {
        return l * 0x01010101 + 0x10203040 + j;
    }

    @Test void ldsU8() { assertArrayEquals(perLane(l -> sm(l, 1) >>> 16 & 0xFF), rig.lanes(SM + "lds.u8 r10, [r2 + 6]")); }
    @Test void ldsU16() { assertArrayEquals(perLane(l -> sm(l, 2) >>> 16 & 0xFFFF), rig.lanes(SM + "lds.u16 r10, [r2 + 10]")); }
    @Test void lds() { assertArrayEquals(perLane(l -> sm(l, 3)), rig.lanes(SM + "lds r10, [r2 + 12]")); }
    @Test void lds64() { assertArrayEquals(perLane(l -> sm(l, 0) - sm(l, 1)), rig.lanes(SM + "lds.64 r10, [r2]\nsub r10, r10, r11")); }
    @Test void lds128() { assertArrayEquals(perLane(l -> sm(l, 3) * 7 + sm(l, 0)), rig.lanes(SM + "lds.128 r12, [r2]\nmuli r15, r15, 7\nadd r10, r15, r12")); }

    @Test
    void sts8() {
        assertArrayEquals(perLane(l -> (sm(l, 0) & ~0xFF00) | (l << 8)), rig.lanes(SM + "sts.8 [r2 + 1], r1\nlds r10, [r2]"));
    }

    @Test
    void sts16() {
        assertArrayEquals(perLane(l -> (sm(l, 1) & 0xFFFF) | (l + 7) << 16), rig.lanes(SM + "addi r3, r1, 7\nsts.16 [r2 + 6], r3\nlds r10, [r2 + 4]"));
    }

    @Test
    void sts() {
        assertArrayEquals(perLane(l -> 31 - l), rig.lanes(SM + "li r3, 31\nsub r3, r3, r1\nsts [r2 + 8], r3\nlds r10, [r2 + 8]"));
    }

    @Test
    void sts64() {
        assertArrayEquals(perLane(l -> 3 * l), rig.lanes(SM + "muli r3, r1, 3\nli r4, 0\nsts.64 [r2 + 8], r3\nlds.64 r10, [r2 + 8]\nadd r10, r10, r11"));
    }

    @Test
    void sts128() {
        // lanes swap halves of shared memory: lane l reads what lane l ^ 1 stored
        assertArrayEquals(perLane(l -> sm(l ^ 1, 2)), rig.lanes(SM + "xori r3, r1, 1\nshli r3, r3, 4\nlds.128 r12, [r3]\nmov r10, r14"));
    }

    // ---------------------------------------------------------------- matrix instructions

    private static final int A = 0x40000;   // row-major FP16 A[16][16]
    private static final int B = 0x41000;   // 512-byte B block
    private static final int C = 0x42000;   // row-major FP32 C / D
    private static final int Z = 0x43000;   // zero-point bytes

    private void putHalves(int address, short[] v) {
        for (int i = 0; i < v.length; i++) {
            rig.mem.writeU8(address + 2L * i, v[i]);
            rig.mem.writeU8(address + 2L * i + 1, v[i] >> 8);
        }
    }

    private static short[] identityA() {
        short[] a = new short[256];
        for (int m = 0; m < 16; m++) {
            a[m * 16 + m] = 0x3C00;    // 1.0
        }
        return a;
    }

    /** Loads A (r20..r23), B (r24..r27), rz (r28) and C (r32..) from the fragment blocks, runs op, stores D. */
    private String mmaProgram(String op, int accRegs, boolean loadC) {
        StringBuilder b = new StringBuilder("s2r r1, lane\nshli r2, r1, 4\nldg.128 r20, [r2 + " + A + "]\nldg.128 r24, [r2 + " + B
                + "]\nshli r3, r1, 2\nldg r28, [r3 + " + Z + "]\nmuli r4, r1, " + 4 * accRegs + "\n");
        if (loadC) {
            for (int j = 0; j < accRegs / 4; j++) {
                b.append("ldg.128 r").append(32 + 4 * j).append(", [r4 + ").append(C + 16 * j).append("]\n");
            }
        }
        b.append(op).append('\n');
        for (int j = 0; j < accRegs / 4; j++) {
            b.append("stg.128 [r4 + ").append(C + 16 * j).append("], r").append(32 + 4 * j).append('\n');
        }
        return b.append("exit\n").toString();
    }

    private float[] readC(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Float.intBitsToFloat(rig.word(C + 4L * i));
        }
        return v;
    }

    @Test
    void hmma() {
        // A = I, B[k][n] = 16k + n: D = B, laid out row-major over the lanes
        short[] b = new short[256];
        for (int i = 0; i < 256; i++) {
            b[i] = io.pacq.fp.Fp16.fromFloat(i);
        }
        putHalves(A, identityA());
        putHalves(B, b);
        rig.run(mmaProgram("hmma.z r32, r20, r24", 8, false));
        float[] d = readC(256);
        for (int i = 0; i < 256; i++) {
            assertEquals(i, d[i], 0.0f, "element " + i);
        }
    }

    @Test
    void hmmaAccumulatesSequentiallyOverK() {
        // C = 2^24, every product = 1: each RN32(2^24 + 1) is 2^24 (tie to even), so D = 2^24;
        // a tree sum of the products would give 2^24 + 16.
        short[] ones = new short[256];
        java.util.Arrays.fill(ones, (short) 0x3C00);
        putHalves(A, ones);
        putHalves(B, ones);
        for (int i = 0; i < 256; i++) {
            rig.mem.writeInt(C + 4L * i, 0x4B800000);
        }
        rig.run(mmaProgram("hmma r32, r20, r24", 8, true));
        for (float v : readC(256)) {
            assertEquals(16777216f, v, 0.0f);
        }
        // and without .z the old accumulator is used: 1 + 16 * 1 * 2 = 33
        short[] twos = new short[256];
        java.util.Arrays.fill(twos, (short) 0x4000);
        putHalves(B, twos);
        for (int i = 0; i < 256; i++) {
            rig.mem.writeInt(C + 4L * i, 0x3F800000);
        }
        rig.run(mmaProgram("hmma r32, r20, r24", 8, true));
        for (float v : readC(256)) {
            assertEquals(33f, v, 0.0f);
        }
    }

    /** Zero point of column n in the tests: n mod 3. */
    private void putZeros(int cols) {
        for (int n = 0; n < cols; n++) {
            rig.mem.writeU8(Z + n, n % 3);
        }
    }

    @Test
    void pmma() {
        for (int bits : new int[] {2, 4, 8}) {
            int cpw = 16 / bits;
            int cols = 16 * cpw;
            // B = 16 strip rows of 16 words; code of (k, n) = (k + 2n) mod 2^bits, code j of word w is column w*cpw + j
            for (int k = 0; k < 16; k++) {
                for (int w = 0; w < 16; w++) {
                    int v = 0;
                    for (int j = 0; j < cpw; j++) {
                        int n = w * cpw + j;
                        v |= ((k + 2 * n) & ((1 << bits) - 1)) << (j * bits);
                    }
                    rig.mem.writeU8(B + 32L * k + 2 * w, v);
                    rig.mem.writeU8(B + 32L * k + 2 * w + 1, v >> 8);
                }
            }
            putHalves(A, identityA());
            putZeros(cols);
            rig.run(mmaProgram("pmma.z r32, r20, r24, r28, " + bits, 8 * cpw, false));
            float[] d = readC(16 * cols);
            for (int m = 0; m < 16; m++) {
                for (int n = 0; n < cols; n++) {
                    int want = ((m + 2 * n) & ((1 << bits) - 1)) - n % 3;
                    assertEquals(want, d[m * cols + n], 0.0f, "INT" + bits + " (" + m + ", " + n + ")");
                }
            }
        }
    }

    @Test
    void pmmaExactProductsAndAccumulation() {
        // A = 65504, q = 15, z = 0: every product is 982560, exact. C = 1.5; the running sums
        // 1.5 + i * 982560 (i = 1 .. 8) are exact below 2^23; at i = 9, 8843041.5 needs a spacing of 1
        // and ties to the even 8843042; then + 982560 stays exact: 8843042 + 7 * 982560 = 15720962.
        short[] big = new short[256];
        java.util.Arrays.fill(big, (short) 0x7BFF);
        putHalves(A, big);
        for (int i = 0; i < 512; i++) {
            rig.mem.writeU8(B + i, 0xFF);
        }
        for (int i = 0; i < 64 * 16; i++) {
            rig.mem.writeInt(C + 4L * i, 0x3FC00000);
        }
        rig.putInts(Z, new int[16]);
        rig.run(mmaProgram("pmma r32, r20, r24, r28, 4", 32, true));
        for (float v : readC(16 * 64)) {
            assertEquals(15720962f, v, 0.0f);
        }
    }

    @Test
    void kmma() {
        for (int bits : new int[] {2, 4, 8}) {
            int cpw = 16 / bits;
            int cols = 16 * cpw;
            int rows = 16 / cpw;
            // K-packed block: [rows][cols] words; word (r, n) holds codes of k = r*cpw + j, j in bits [j*bits, ...)
            for (int r = 0; r < rows; r++) {
                for (int n = 0; n < cols; n++) {
                    int v = 0;
                    for (int j = 0; j < cpw; j++) {
                        int k = r * cpw + j;
                        v |= ((3 * k + n) & ((1 << bits) - 1)) << (j * bits);
                    }
                    rig.mem.writeU8(B + 2L * (r * cols + n), v);
                    rig.mem.writeU8(B + 2L * (r * cols + n) + 1, v >> 8);
                }
            }
            putHalves(A, identityA());
            putZeros(cols);
            rig.run(mmaProgram("kmma.z r32, r20, r24, r28, " + bits, 8 * cpw, false));
            float[] d = readC(16 * cols);
            for (int m = 0; m < 16; m++) {
                for (int n = 0; n < cols; n++) {
                    int want = ((3 * m + n) & ((1 << bits) - 1)) - n % 3;
                    assertEquals(want, d[m * cols + n], 0.0f, "INT" + bits + " (" + m + ", " + n + ")");
                }
            }
        }
    }
}

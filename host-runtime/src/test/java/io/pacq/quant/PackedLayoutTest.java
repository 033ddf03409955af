package io.pacq.quant;

import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * PackedWeights and KPackedWeights against the ABI's layout text (pacq_abi.json "layouts"),
 * re-derived here independently: hand-worked bytes for small cases, and a decoder written from the
 * text for random cases. The ABI constants used are STRIP_WORDS = 16 and 16-bit words.
 *
 * <pre>
 * W_NPACKED: S = 16 * 16 / bits columns per strip; word w of row k of strip s holds the codes of
 *            columns s*S + w*(16/bits) + j, code j in bits [j*bits, j*bits+bits); word address
 *            2*((s*K + k)*16 + w). Padding codes 0.
 * W_KPACKED: u16 words [K*bits/16][Np], Np = N padded to a whole strip; word (r, n) holds rows
 *            r*(16/bits) + j of column n, code j in bits [j*bits, j*bits+bits).
 * SCALES:    FP16 at 2*(((n/S)*(K/g) + G)*(S/gn) + (n%S)/gn). ZEROS: the same with 1 byte. Padding 0.
 * </pre>
 */
class PackedLayoutTest {

    private static int u16(byte[] b, int byteOffset) {
        return (b[byteOffset] & 0xFF) | (b[byteOffset + 1] & 0xFF) << 8;
    }

    @Test
    void int4HandWorked() {
        // K = 16, N = 5, INT4: S = 64, one strip; row 0 codes [1, 2, 3, 4, 5], row 1 codes [15, 0, 0, 0, 9],
        // other rows 0. Asymmetric, g = 16: scales [0x3C00, 0x4000, 0x4200, 0x4400, 0x4500], zeros [1..5].
        //
        // Row 0, word 0 = columns 0..3: 1 | 2<<4 | 3<<8 | 4<<12 = 0x4321 -> bytes 0x21 0x43 at offset 0.
        // Row 0, word 1 = columns 4..7 (5..7 are padding): 5 -> bytes 0x05 0x00 at offset 2.
        // Row 1 starts at 2*((0*16 + 1)*16 + 0) = 32: word 0 = 15 -> 0x0F 0x00; word 1 = 9 -> 0x09 0x00 at 34.
        // Everything else 0. Size: 1 strip * 16 rows * 16 words * 2 = 512 bytes.
        byte[] codes = new byte[16 * 5];
        byte[] row0 = {1, 2, 3, 4, 5};
        System.arraycopy(row0, 0, codes, 0, 5);
        codes[5] = 15;
        codes[9] = 9;
        QuantizedWeights w = new QuantizedWeights(16, 5, 4, 16, 1, codes,
                new short[] {0x3C00, 0x4000, 0x4200, 0x4400, 0x4500}, new byte[] {1, 2, 3, 4, 5});
        PackedWeights p = PackedWeights.pack(w);
        byte[] expect = new byte[512];
        expect[0] = 0x21;
        expect[1] = 0x43;
        expect[2] = 0x05;
        expect[32] = 0x0F;
        expect[34] = 0x09;
        assertArrayEquals(expect, p.weights());
        // Scales: one strip, K/g = 1 group row, S/gn = 64 entries: entry n at 2*n, 64 * 2 = 128 bytes.
        byte[] scales = new byte[128];
        short[] s = {0x3C00, 0x4000, 0x4200, 0x4400, 0x4500};
        for (int i = 0; i < 5; i++) {
            scales[2 * i] = (byte) s[i];
            scales[2 * i + 1] = (byte) (s[i] >> 8);
        }
        assertArrayEquals(scales, p.scales());
        byte[] zeros = new byte[64];
        System.arraycopy(new byte[] {1, 2, 3, 4, 5}, 0, zeros, 0, 5);
        assertArrayEquals(zeros, p.zeros());
        assertEquals(512 + 128 + 64, p.totalBytes());
    }

    @Test
    void int8TwoStripsWithTwoDimensionalGroupsHandWorked() {
        // K = 32, N = 33, INT8: S = 32 columns per strip, 2 strips (column 32 alone in strip 1).
        // g = 16 (2 group rows), gn = 2 (S/gn = 16 entries per group row per strip). Symmetric.
        // Three non-zero codes, to keep the bytes few:
        //   q[0][1] = 0xAB: strip 0, row 0, word 0 (columns 0, 1), code j = 1 in bits 8..15 -> byte 1 = 0xAB.
        //   q[3][32] = 0x7C: strip 1, row 3, word 0, j = 0 -> byte 2*((1*32 + 3)*16 + 0) = 1120 = 0x7C.
        //   q[31][31] = 0x11: strip 0, row 31, word 15 (columns 30, 31), j = 1 ->
        //     byte 2*((0*32 + 31)*16 + 15) + 1 = 1023 = 0x11.
        // Weights: 2 strips * 32 rows * 16 words * 2 bytes = 2048 bytes.
        // Scales: group columns ceil(33/2) = 17; scale (G, column c) at entry ((c/32)*2 + G)*16 + (c%32)/2.
        //   scale of group (G=1, columns 4, 5) = 0x4600 at entry (0*2 + 1)*16 + 2 = 18 -> bytes 36, 37.
        //   scale of group (G=1, column 32) = 0x4700 at entry (1*2 + 1)*16 + 0 = 48 -> bytes 96, 97.
        //   Entries: 2 strips * 2 group rows * 16 = 64 -> 128 bytes; others 0 in this case.
        int k = 32;
        int n = 33;
        byte[] codes = new byte[k * n];
        codes[0 * n + 1] = (byte) 0xAB;
        codes[3 * n + 32] = 0x7C;
        codes[31 * n + 31] = 0x11;
        short[] scales = new short[2 * 17];
        scales[17 + 2] = 0x4600;    // G = 1, group column 2 (columns 4, 5)
        scales[17 + 16] = 0x4700;   // G = 1, group column 16 (column 32)
        QuantizedWeights w = new QuantizedWeights(k, n, 8, 16, 2, codes, scales, null);
        PackedWeights p = PackedWeights.pack(w);
        byte[] expect = new byte[2048];
        expect[1] = (byte) 0xAB;
        expect[1120] = 0x7C;
        expect[1023] = 0x11;
        assertArrayEquals(expect, p.weights());
        byte[] es = new byte[128];
        es[36] = 0x00;
        es[37] = 0x46;
        es[96] = 0x00;
        es[97] = 0x47;
        assertArrayEquals(es, p.scales());
        assertNull(p.zeros());
        assertEquals(w, p.unpack());
    }

    @Test
    void int2HandWorked() {
        // K = 16, N = 9, INT2: 8 codes per word, S = 128. Row 2 codes [3, 2, 1, 0, 3, 2, 1, 0, 1].
        // Word 0 of row 2 = 3 | 2<<2 | 1<<4 | 0<<6 | 3<<8 | 2<<10 | 1<<12 | 0<<14 = 0x1B1B at 2*(2*16) = 64.
        // Word 1 of row 2 = column 8 -> 1 at offset 66.
        byte[] codes = new byte[16 * 9];
        byte[] row2 = {3, 2, 1, 0, 3, 2, 1, 0, 1};
        System.arraycopy(row2, 0, codes, 2 * 9, 9);
        QuantizedWeights w = new QuantizedWeights(16, 9, 2, 16, 1, codes, new short[9], null);
        byte[] b = PackedWeights.pack(w).weights();
        assertEquals(16 * 16 * 2, b.length);
        byte[] expect = new byte[512];
        expect[64] = 0x1B;
        expect[65] = 0x1B;
        expect[66] = 0x01;
        assertArrayEquals(expect, b);
    }

    @Test
    void kPackedHandWorked() {
        // K = 16, N = 3, INT4: 4 rows per word, Np = 64 (one INT4 strip). Column 1 rows 0..3 = [1, 2, 3, 4]:
        // word (0, 1) = 1 | 2<<4 | 3<<8 | 4<<12 = 0x4321 at 2*(0*64 + 1) = 2. Column 2 row 13 = 7: word
        // (3, 2), j = 1 -> 7<<4 = 0x70 at 2*(3*64 + 2) = 388. Size (16/4) * 64 * 2 = 512.
        byte[] codes = new byte[16 * 3];
        for (int r = 0; r < 4; r++) {
            codes[r * 3 + 1] = (byte) (r + 1);
        }
        codes[13 * 3 + 2] = 7;
        QuantizedWeights w = new QuantizedWeights(16, 3, 4, 16, 1, codes, new short[3], null);
        KPackedWeights kp = KPackedWeights.pack(w);
        byte[] expect = new byte[512];
        expect[2] = 0x21;
        expect[3] = 0x43;
        expect[388] = 0x70;
        assertArrayEquals(expect, kp.weights());
        assertEquals(7, kp.code(13, 2));
        assertEquals(3, kp.code(2, 1));
    }

    /** Decoder written from the ABI text, independent of PackedWeights' own offset helpers. */
    private static int npackedCode(byte[] words, int k, int bits, int row, int col) {
        int perWord = 16 / bits;
        int s = 16 * perWord;
        int strip = col / s;
        int word = (col % s) / perWord;
        int j = col % perWord;
        int v = u16(words, 2 * ((strip * k + row) * 16 + word));
        return (v >> (j * bits)) & ((1 << bits) - 1);
    }

    @Test
    void randomCasesMatchTheAbiText() {
        SplittableRandom rnd = new SplittableRandom(99);
        for (int trial = 0; trial < 60; trial++) {
            int bits = new int[] {2, 4, 8}[trial % 3];
            int g = 16 << rnd.nextInt(3);
            int k = g * (1 + rnd.nextInt(3));
            int n = 1 + rnd.nextInt(300);
            int gn = 1 << rnd.nextInt(6);
            boolean sym = rnd.nextBoolean();
            QuantizedWeights w = RandomProblems.weights(rnd, k, n, new QuantSpec(bits, g, gn, sym));
            PackedWeights p = PackedWeights.pack(w);
            int perWord = 16 / bits;
            int s = 16 * perWord;
            int strips = (n + s - 1) / s;
            assertEquals((long) strips * k * 16 * 2, p.weights().length, "weight bytes");
            for (int row = 0; row < k; row++) {
                for (int col = 0; col < strips * s; col++) {
                    int expect = col < n ? w.code(row, col) : 0;     // padding codes 0
                    assertEquals(expect, npackedCode(p.weights(), k, bits, row, col), "code " + row + "," + col + " " + w);
                }
            }
            int entries = strips * (k / g) * (s / gn);
            assertEquals(entries * 2, p.scales().length, "scale bytes");
            for (int col = 0; col < strips * s; col++) {
                for (int gr = 0; gr < k / g; gr++) {
                    int idx = ((col / s) * (k / g) + gr) * (s / gn) + (col % s) / gn;
                    // a padding column shares its group's entry when the group starts inside N; else 0
                    int first = col / gn * gn;
                    int expect = first < n ? w.scale(gr * g, first) & 0xFFFF : 0;
                    assertEquals(expect, u16(p.scales(), 2 * idx), "scale " + gr + "," + col);
                    if (!sym) {
                        int z = first < n ? w.zero(gr * g, first) : 0;
                        assertEquals(z, p.zeros()[idx] & 0xFF, "zero " + gr + "," + col);
                    }
                }
            }
            assertEquals(w, p.unpack(), "unpack inverts pack");

            KPackedWeights kp = KPackedWeights.pack(w);
            int np = strips * s;
            assertEquals((k * bits / 16) * np * 2, kp.weights().length, "k-packed bytes");
            for (int row = 0; row < k; row++) {
                for (int col = 0; col < np; col++) {
                    int v = u16(kp.weights(), 2 * ((row / perWord) * np + col));
                    int code = (v >> ((row % perWord) * bits)) & ((1 << bits) - 1);
                    assertEquals(col < n ? w.code(row, col) : 0, code, "k-packed code " + row + "," + col);
                    if (col < n) {
                        assertEquals(w.code(row, col), kp.code(row, col));
                    }
                }
            }
        }
    }
}

package io.pacq.quant;

import io.pacq.fp.Fp16;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast packers (QuantizedWeights' packed rows, PackedWeights.pack, KPackedWeights.pack) against
 * the element-by-element {@link StraightforwardPacker} and against the U8 codes they were made
 * from, over shapes that hit every edge of the fast paths: N below, at and just past a multiple
 * of 8 codes and of a strip, odd N (rows that end inside a byte), all widths, 1-D and 2-D groups,
 * symmetric or not.
 */
class PackerEquivalenceTest {

    private static final int[] EDGE_N = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200,
        255, 256, 257, 1000};

    /** Random U8 codes that fit in bits; every 13th code is the largest value, to exercise all bits. */
    private static byte[] codes(SplittableRandom rnd, int k, int n, int bits) {
        byte[] c = new byte[k * n];
        for (int i = 0; i < c.length; i++) {
            c[i] = (byte) (i % 13 == 0 ? (1 << bits) - 1 : rnd.nextInt(1 << bits));
        }
        return c;
    }

    private static QuantizedWeights weights(SplittableRandom rnd, byte[] codes, int k, int n, int bits, int g,
                                            int gn, boolean sym) {
        int groups = (k / g) * ((n + gn - 1) / gn);
        short[] scales = new short[groups];
        byte[] zeros = sym ? null : new byte[groups];
        for (int i = 0; i < groups; i++) {
            scales[i] = Fp16.fromFloat((float) (rnd.nextDouble() * 4 - 2));
            if (zeros != null) {
                zeros[i] = (byte) rnd.nextInt(1 << bits);
            }
        }
        return new QuantizedWeights(k, n, bits, g, gn, codes, scales, zeros);
    }

    /** Packed row bytes computed here from the U8 codes, bit by bit. */
    private static byte[] packedRows(byte[] codes, int k, int n, int bits) {
        int rowBytes = (n * bits + 7) / 8;
        byte[] out = new byte[k * rowBytes];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                int q = codes[r * n + c] & 0xFF;
                for (int b = 0; b < bits; b++) {
                    if ((q >> b & 1) != 0) {
                        int bit = c * bits + b;
                        out[r * rowBytes + bit / 8] |= (byte) (1 << (bit % 8));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void fastPackersEqualTheStraightforwardOnes() {
        SplittableRandom rnd = new SplittableRandom(5);
        int cases = 0;
        for (int bits : new int[] {2, 4, 8}) {
            for (int n : EDGE_N) {
                int g = 16 << rnd.nextInt(2);
                int k = g * (1 + rnd.nextInt(2));
                int gn = 1 << rnd.nextInt(6);
                boolean sym = rnd.nextBoolean();
                byte[] codes = codes(rnd, k, n, bits);
                QuantizedWeights w = weights(rnd, codes, k, n, bits, g, gn, sym);
                String what = w + " N=" + n;

                assertArrayEquals(codes, w.codes(), "codes() round trip " + what);
                for (int r = 0; r < k; r += 5) {
                    for (int c = 0; c < n; c++) {
                        assertEquals(codes[r * n + c] & 0xFF, w.code(r, c), "code(" + r + "," + c + ") " + what);
                    }
                }
                byte[] rows = packedRows(codes, k, n, bits);
                assertEquals(rows.length, w.packedCodesBytes(), what);
                ByteBuffer got = ByteBuffer.allocate(rows.length);
                w.getPackedCodes(0, got);
                assertArrayEquals(rows, got.array(), "packed codes " + what);
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                w.updateChecksum(crc);
                java.util.zip.CRC32C expect = new java.util.zip.CRC32C();
                expect.update(rows);
                assertEquals(expect.getValue(), crc.getValue(), "checksum of the packed codes " + what);

                PackedWeights p = PackedWeights.pack(w);
                assertArrayEquals(StraightforwardPacker.weights(w), p.weights(), "N-packed words " + what);
                assertArrayEquals(StraightforwardPacker.scales(w), p.scales(), "scales " + what);
                assertArrayEquals(StraightforwardPacker.zeros(w), p.zeros(), "zeros " + what);
                assertEquals(w, p.unpack(), "unpack " + what);
                assertArrayEquals(StraightforwardPacker.kpacked(w), KPackedWeights.pack(w).weights(),
                        "K-packed words " + what);
                cases++;
            }
        }
        assertEquals(3 * EDGE_N.length, cases);
    }

    @Test
    void largeLayerEqualsTheStraightforwardPacker() {
        // a layer with many strips and rows: N = 4096 + 40 (a partial strip), K = 512
        SplittableRandom rnd = new SplittableRandom(6);
        for (int bits : new int[] {2, 4, 8}) {
            int k = 512;
            int n = 4136;
            QuantizedWeights w = weights(rnd, codes(rnd, k, n, bits), k, n, bits, 128, 1, false);
            PackedWeights p = PackedWeights.pack(w);
            assertArrayEquals(StraightforwardPacker.weights(w), p.weights(), "INT" + bits);
            assertArrayEquals(StraightforwardPacker.scales(w), p.scales(), "INT" + bits);
            assertArrayEquals(StraightforwardPacker.zeros(w), p.zeros(), "INT" + bits);
            assertArrayEquals(StraightforwardPacker.kpacked(w), KPackedWeights.pack(w).weights(), "INT" + bits);
        }
    }

    @Test
    void misfitCodeIsFoundWhereverItIs() {
        // the 8-codes-at-a-time check must name the first misfit in row-major order, in the fast
        // body of a row as well as in its head and tail
        int k = 16;
        for (int bits : new int[] {2, 4}) {
            for (int n : new int[] {5, 8, 19, 64}) {
                for (int at : new int[] {0, n / 2, n - 1, 3 * n + n / 3, k * n - 1}) {
                    byte[] codes = new byte[k * n];
                    codes[at] = (byte) (1 << bits);
                    if (at + 1 < codes.length) {
                        codes[at + 1] = (byte) 0xFF;       // a later misfit must not be named
                    }
                    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalArgumentException.class,
                            () -> new QuantizedWeights(k, n, bits, 16, 1, codes, new short[n], null));
                    assertEquals("qcodes[" + at / n + "][" + at % n + "] = " + (1 << bits) + " does not fit in " + bits
                            + " bits", e.getMessage());
                }
            }
        }
    }

    @Test
    void streamedPiecesEqualTheWholeImage() {
        // pieces of any size at any offset (inside a strip row, across rows and strips, into the
        // padding of a last strip), into heap buffers that start inside their array and into
        // direct buffers, over a reused buffer with garbage in it
        SplittableRandom rnd = new SplittableRandom(7);
        for (int bits : new int[] {2, 4, 8}) {
            for (int n : new int[] {5, 64, 100, 300}) {
                int k = 32;
                QuantizedWeights w = weights(rnd, codes(rnd, k, n, bits), k, n, bits, 16, 1, true);
                byte[] whole = StraightforwardPacker.weights(w);
                byte[] reused = new byte[whole.length + 16];
                java.util.Arrays.fill(reused, (byte) 0x5A);
                for (int off = 0; off < whole.length; ) {
                    int len = Math.min(whole.length - off, 1 + rnd.nextInt(200));
                    ByteBuffer dst;
                    if (rnd.nextBoolean()) {
                        dst = ByteBuffer.wrap(reused, 7, len).slice();
                    } else {
                        dst = ByteBuffer.allocateDirect(len);
                    }
                    PackedWeights.writeWeights(w, off, dst);
                    assertEquals(0, dst.remaining());
                    dst.flip();
                    byte[] got = new byte[len];
                    dst.get(got);
                    assertArrayEquals(java.util.Arrays.copyOfRange(whole, off, off + len), got,
                            "INT" + bits + " N=" + n + " bytes " + off + ".." + (off + len));
                    off += len;
                }
                org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                        () -> PackedWeights.writeWeights(w, whole.length - 1, ByteBuffer.allocate(2)));
            }
        }
    }
}

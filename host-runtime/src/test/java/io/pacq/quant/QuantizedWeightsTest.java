package io.pacq.quant;

import io.pacq.testing.RandomProblems;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static io.pacq.quant.QuantizerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** QuantizedWeights' validation messages, accessors and immutability. */
class QuantizedWeightsTest {

    private static final short ONE = 0x3C00;

    @Test
    void validationMessagesNameTheField() {
        // K = 16, N = 3, INT4, g = 16, gn = 1: qcodes 48 bytes, scales and zeros [1][3].
        assertMessage("qcodes: expected K*N = 48 bytes, got 47",
                () -> new QuantizedWeights(16, 3, 4, 16, 1, new byte[47], new short[3], null));
        assertMessage("scales: expected [1][3] = 3 values, got 2",
                () -> new QuantizedWeights(16, 3, 4, 16, 1, new byte[48], new short[2], null));
        assertMessage("zeros: expected [1][3] = 3 values, got 4",
                () -> new QuantizedWeights(16, 3, 4, 16, 1, new byte[48], new short[3], new byte[4]));
        byte[] codes = new byte[48];
        codes[5] = 16;   // row 1, column 2
        assertMessage("qcodes[1][2] = 16 does not fit in 4 bits",
                () -> new QuantizedWeights(16, 3, 4, 16, 1, codes, new short[3], null));
        assertMessage("scales[0][1] is not finite (FP16 bits 0x7c00)",
                () -> new QuantizedWeights(16, 3, 4, 16, 1, new byte[48], new short[] {ONE, 0x7C00, ONE}, null));
        assertMessage("scales[0][2] is not finite (FP16 bits 0x7e00)",
                () -> new QuantizedWeights(16, 3, 4, 16, 1, new byte[48], new short[] {ONE, ONE, 0x7E00}, null));
        assertMessage("zeros[0][2] = 4 does not fit in 2 bits",
                () -> new QuantizedWeights(16, 3, 2, 16, 1, new byte[48], new short[3], new byte[] {0, 3, 4}));
        // 2-D groups: K = 32, N = 5, g = 16, gn = 2: scales [2][3]
        assertMessage("scales: expected [2][3] = 6 values, got 10",
                () -> new QuantizedWeights(32, 5, 4, 16, 2, new byte[160], new short[10], null));
        assertMessage("K = 40 is not a multiple of the group size 16",
                () -> new QuantizedWeights(40, 1, 4, 16, 1, new byte[40], new short[2], null));
        assertMessage("bits must be 2, 4 or 8, got 5",
                () -> new QuantizedWeights(16, 1, 5, 16, 1, new byte[16], new short[1], null));
    }

    @Test
    void accessorsFollowTheGroupLayout() {
        // K = 32, N = 5, INT4, g = 16, gn = 2: group (G, j) covers rows 16G.., columns 2j, 2j+1.
        byte[] codes = new byte[32 * 5];
        codes[17 * 5 + 3] = 11;
        short[] scales = new short[6];
        scales[3 + 1] = 0x4000;   // G = 1, columns 2, 3
        byte[] zeros = new byte[6];
        zeros[3 + 1] = 3;
        QuantizedWeights w = new QuantizedWeights(32, 5, 4, 16, 2, codes, scales, zeros);
        assertEquals(2, w.groupRows());
        assertEquals(3, w.groupColumns());
        assertEquals(11, w.code(17, 3));
        assertEquals((short) 0x4000, w.scale(17, 3));
        assertEquals((short) 0x4000, w.scale(31, 2));
        assertEquals(3, w.zero(16, 2));
        assertEquals(8, w.d(17, 3));
        assertEquals(16.0, w.dequantized(17, 3));   // 2 * (11 - 3)
        // symmetric: z = 2^(bits-1)
        QuantizedWeights sym = new QuantizedWeights(16, 1, 8, 16, 1, new byte[16], new short[] {ONE}, null);
        assertEquals(128, sym.zero(0, 0));
        assertEquals(-128, sym.d(0, 0));
    }

    @Test
    void inputsAreCopiedAndOutputsAreCopies() {
        byte[] codes = new byte[16];
        short[] scales = {ONE};
        byte[] zeros = {1};
        QuantizedWeights w = new QuantizedWeights(16, 1, 4, 16, 1, codes, scales, zeros);
        QuantizedWeights same = new QuantizedWeights(16, 1, 4, 16, 1, codes, scales, zeros);
        codes[0] = 5;
        scales[0] = 0x4000;
        zeros[0] = 2;
        assertEquals(0, w.code(0, 0));
        assertEquals(ONE, w.scale(0, 0));
        assertEquals(1, w.zero(0, 0));
        w.codes()[0] = 9;
        w.scales()[0] = 0;
        w.zeros()[0] = 0;
        assertArrayEquals(new byte[16], w.codes());
        assertEquals(same, w);
        assertEquals(same.hashCode(), w.hashCode());
        assertNotEquals(w, new QuantizedWeights(16, 1, 4, 16, 1, new byte[16], new short[] {ONE}, null));
    }

    /** The scales as the FP16 little-endian bytes a builder takes. */
    private static byte[] scaleBytes(short[] scales) {
        ByteBuffer b = ByteBuffer.allocate(scales.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(scales);
        return b.array();
    }

    private static byte[] packedCodes(QuantizedWeights w) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(w.packedCodesBytes()));
        w.getPackedCodes(0, b);
        return b.array();
    }

    /** Puts bytes through a builder method in pieces of random sizes, heap or direct buffers. */
    private interface Put {
        void put(long offset, ByteBuffer src);
    }

    private static void putInPieces(SplittableRandom rnd, byte[] data, Put put) {
        for (int off = 0; off < data.length; ) {
            int len = Math.min(data.length - off, 1 + rnd.nextInt(40));
            ByteBuffer b = rnd.nextBoolean() ? ByteBuffer.allocateDirect(len) : ByteBuffer.allocate(len + 3).position(3);
            b.put(data, off, len).flip();
            if (b.capacity() != len) {
                b.position(3);             // a heap buffer that does not start at its array's index 0
            }
            put.put(off, b);
            assertEquals(0, b.remaining(), "put consumes its buffer");
            off += len;
        }
    }

    @Test
    void builderFromPiecesEqualsTheConstructor() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int bits : new int[] {2, 4, 8}) {
            for (int n : new int[] {1, 5, 8, 33, 130}) {
                boolean sym = rnd.nextBoolean();
                QuantizedWeights w = RandomProblems.weights(rnd, 32, n, new QuantSpec(bits, 16, 2, sym));
                byte[] zeros = w.zeros();

                QuantizedWeights.Builder packed = QuantizedWeights.builder(32, n, bits, 16, 2, sym);
                assertEquals(w.packedCodesBytes(), packed.packedCodesBytes());
                assertEquals(2L * w.scales().length, packed.scaleBytes());
                assertEquals(sym ? 0 : zeros.length, packed.zeroBytes());
                putInPieces(rnd, packedCodes(w), packed::putPackedCodes);
                putInPieces(rnd, scaleBytes(w.scales()), packed::putScales);
                if (!sym) {
                    putInPieces(rnd, zeros, packed::putZeros);
                }
                assertEquals(w, packed.build(), "packed codes in pieces, " + w);

                QuantizedWeights.Builder u8 = QuantizedWeights.builder(32, n, bits, 16, 2, sym);
                putInPieces(rnd, w.codes(), u8::putCodes);
                putInPieces(rnd, scaleBytes(w.scales()), u8::putScales);
                if (!sym) {
                    putInPieces(rnd, zeros, u8::putZeros);
                }
                assertEquals(w, u8.build(), "U8 codes in pieces, " + w);
            }
        }
    }

    @Test
    void builtWeightsCannotBeChangedThroughTheBuilderOrItsSources() {
        byte[] packed = new byte[16];                       // K = 16, N = 2, INT4: one byte per row
        packed[0] = 0x21;                                   // q[0][0] = 1, q[0][1] = 2
        ByteBuffer src = ByteBuffer.wrap(packed);
        QuantizedWeights.Builder b = QuantizedWeights.builder(16, 2, 4, 16, 1, true);
        b.putPackedCodes(0, src);
        b.putScales(0, ByteBuffer.wrap(new byte[] {0x00, 0x3C, 0x00, 0x40}));
        packed[0] = 0x77;                                   // the builder copied: no effect
        QuantizedWeights w = b.build();
        assertEquals(1, w.code(0, 0));
        assertEquals(2, w.code(0, 1));
        assertEquals(ONE, w.scale(0, 0));
        assertEquals((short) 0x4000, w.scale(0, 1));
        assertEquals("this builder has built its weights already",
                assertThrows(IllegalStateException.class, b::build).getMessage());
        assertThrows(IllegalStateException.class, () -> b.putPackedCodes(0, ByteBuffer.wrap(new byte[] {0x55})));
        assertThrows(IllegalStateException.class, () -> b.putScales(0, ByteBuffer.allocate(2)));
        assertEquals(1, w.code(0, 0));
        // getPackedCodes copies out; changing the copy changes nothing
        ByteBuffer out = ByteBuffer.allocateDirect(16);
        w.getPackedCodes(0, out);
        assertEquals(0x21, out.get(0));
        out.put(0, (byte) 0);
        assertEquals(1, w.code(0, 0));
        ByteBuffer part = ByteBuffer.allocate(3);
        w.getPackedCodes(13, part);
        assertEquals(0, part.remaining());
        assertThrows(IndexOutOfBoundsException.class, () -> w.getPackedCodes(14, ByteBuffer.allocate(3)));
        assertThrows(IndexOutOfBoundsException.class, () -> w.getPackedCodes(-1, ByteBuffer.allocate(1)));
    }

    @Test
    void builderValidationMessagesNameTheValue() {
        // K = 16, N = 3, INT4: rows of 2 bytes, the high nibble of the second byte is padding
        QuantizedWeights.Builder pad = QuantizedWeights.builder(16, 3, 4, 16, 1, true);
        byte[] rows = new byte[32];
        rows[2 * 5 + 1] = 0x13;                             // row 5: q[5][2] = 3, padding nibble 1
        pad.putPackedCodes(0, ByteBuffer.wrap(rows));
        assertMessage("packed codes row 5: the 4 bits after column 2 must be 0, last byte is 0x13", pad::build);

        QuantizedWeights.Builder u8 = QuantizedWeights.builder(16, 3, 2, 16, 1, true);
        assertMessage("qcodes[2][1] = 4 does not fit in 2 bits",
                () -> u8.putCodes(6, ByteBuffer.wrap(new byte[] {0, 4, 0})));

        QuantizedWeights.Builder sc = QuantizedWeights.builder(16, 3, 4, 16, 1, false);
        sc.putScales(2, ByteBuffer.wrap(new byte[] {0x00, 0x7C}));     // scale [0][1] = +Inf
        assertMessage("scales[0][1] is not finite (FP16 bits 0x7c00)", sc::build);

        QuantizedWeights.Builder z = QuantizedWeights.builder(16, 3, 4, 16, 1, false);
        z.putZeros(2, ByteBuffer.wrap(new byte[] {16}));
        assertMessage("zeros[0][2] = 16 does not fit in 4 bits", z::build);

        assertEquals("symmetric weights have no zero points", assertThrows(IllegalStateException.class,
                () -> QuantizedWeights.builder(16, 3, 4, 16, 1, true).putZeros(0, ByteBuffer.allocate(1))).getMessage());
        assertEquals("packed codes: bytes [31, 33) are outside 0 .. 32", assertThrows(IndexOutOfBoundsException.class,
                () -> QuantizedWeights.builder(16, 3, 4, 16, 1, true).putPackedCodes(31, ByteBuffer.allocate(2)))
                .getMessage());
        assertEquals("codes: bytes [48, 49) are outside 0 .. 48", assertThrows(IndexOutOfBoundsException.class,
                () -> QuantizedWeights.builder(16, 3, 4, 16, 1, true).putCodes(48, ByteBuffer.allocate(1))).getMessage());
        assertMessage("K = 40 is not a multiple of the group size 16",
                () -> QuantizedWeights.builder(40, 1, 4, 16, 1, true));
        assertMessage("weight shape [K=65536, N=65536]: K*N = 4294967296 codes exceed what one array holds (2147483631)",
                () -> QuantizedWeights.builder(65536, 65536, 4, 16, 1, true));
        // unwritten parts are zero: a valid code 0 and scale +0
        QuantizedWeights zero = QuantizedWeights.builder(16, 3, 4, 16, 1, true).build();
        assertEquals(new QuantizedWeights(16, 3, 4, 16, 1, new byte[48], new short[3], null), zero);
    }
}

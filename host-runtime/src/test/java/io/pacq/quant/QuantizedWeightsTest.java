package io.pacq.quant;

import org.junit.jupiter.api.Test;

import static io.pacq.quant.QuantizerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
}

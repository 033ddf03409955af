package io.pacq.quant;

import io.pacq.abi.Abi;

/**
 * The packers as they were first written: element by element through the public accessors of
 * {@link QuantizedWeights} and the offset helpers, following the layout text word by word. Slow
 * and obviously right; the test oracle for the fast packers of {@link PackedWeights} and
 * {@link KPackedWeights}.
 */
final class StraightforwardPacker {
    private StraightforwardPacker() {}

    /** The N-packed weight words. */
    static byte[] weights(QuantizedWeights w) {
        int bits = w.bits();
        int k = w.k();
        int n = w.n();
        int cpw = PackedWeights.colsPerWord(bits);
        int s = PackedWeights.stripCols(bits);
        int strips = PackedWeights.strips(n, bits);
        byte[] words = new byte[Math.toIntExact(PackedWeights.weightBytes(k, n, bits))];
        for (int strip = 0; strip < strips; strip++) {
            for (int row = 0; row < k; row++) {
                for (int word = 0; word < Abi.STRIP_WORDS; word++) {
                    int v = 0;
                    for (int j = 0; j < cpw; j++) {
                        int col = strip * s + word * cpw + j;
                        if (col < n) {
                            v |= w.code(row, col) << (j * bits);
                        }
                    }
                    int off = (int) PackedWeights.wordOffset(k, strip, row, word);
                    words[off] = (byte) v;
                    words[off + 1] = (byte) (v >>> 8);
                }
            }
        }
        return words;
    }

    /** The strip-major scales, FP16 little-endian. */
    static byte[] scales(QuantizedWeights w) {
        int k = w.k();
        int g = w.groupSize();
        int gn = w.groupCols();
        int entries = Math.toIntExact(PackedWeights.groupEntries(k, w.n(), w.bits(), g, gn));
        byte[] scales = new byte[entries * 2];
        for (int group = 0; group < k / g; group++) {
            for (int col = 0; col < w.n(); col += gn) {
                int idx = (int) PackedWeights.groupIndex(k, w.bits(), g, gn, group, col);
                short sc = w.scale(group * g, col);
                scales[2 * idx] = (byte) sc;
                scales[2 * idx + 1] = (byte) (sc >>> 8);
            }
        }
        return scales;
    }

    /** The strip-major zero points, or null when symmetric. */
    static byte[] zeros(QuantizedWeights w) {
        if (w.symmetric()) {
            return null;
        }
        int k = w.k();
        int g = w.groupSize();
        int gn = w.groupCols();
        byte[] zeros = new byte[Math.toIntExact(PackedWeights.groupEntries(k, w.n(), w.bits(), g, gn))];
        for (int group = 0; group < k / g; group++) {
            for (int col = 0; col < w.n(); col += gn) {
                zeros[(int) PackedWeights.groupIndex(k, w.bits(), g, gn, group, col)] = (byte) w.zero(group * g, col);
            }
        }
        return zeros;
    }

    /** The K-packed words. */
    static byte[] kpacked(QuantizedWeights w) {
        int bits = w.bits();
        int rpw = KPackedWeights.rowsPerWord(bits);
        byte[] out = new byte[Math.toIntExact(KPackedWeights.weightBytes(w.k(), w.n(), bits))];
        for (int r = 0; r < w.k() / rpw; r++) {
            for (int col = 0; col < w.n(); col++) {
                int v = 0;
                for (int j = 0; j < rpw; j++) {
                    v |= w.code(r * rpw + j, col) << (j * bits);
                }
                int off = (int) KPackedWeights.wordOffset(w.n(), bits, r, col);
                out[off] = (byte) v;
                out[off + 1] = (byte) (v >>> 8);
            }
        }
        return out;
    }
}

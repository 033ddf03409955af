package io.pacq.emu.bench;

import io.pacq.fp.Fp16;
import io.pacq.quant.PackedWeights;
import io.pacq.quant.QuantizedWeights;

/**
 * The packed device image the baseline starts from, as arrays: u16 weight words (strip-major,
 * PackedWeights layout) and, per group row, the scale and zero point of every column as floats.
 * Built once, outside the timed region (metadata given to the baseline for free). Immutable.
 */
final class BaselineWeights {
    final int k;
    final int n;
    final int bits;
    final int groupSize;
    final int strips;
    final int stripCols;
    final short[] words;
    /** [K/g][strips * stripCols], natural column order, padding columns 0. */
    final float[] scales;
    /** [K/g][strips * stripCols]. */
    final float[] zeros;

    BaselineWeights(QuantizedWeights w) {
        this.k = w.k();
        this.n = w.n();
        this.bits = w.bits();
        this.groupSize = w.groupSize();
        this.strips = PackedWeights.strips(n, bits);
        this.stripCols = PackedWeights.stripCols(bits);
        byte[] b = PackedWeights.pack(w).weights();
        this.words = new short[b.length / 2];
        for (int i = 0; i < words.length; i++) {
            words[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8);
        }
        int np = strips * stripCols;
        int groups = k / groupSize;
        this.scales = new float[groups * np];
        this.zeros = new float[groups * np];
        for (int g = 0; g < groups; g++) {
            for (int col = 0; col < n; col++) {
                scales[g * np + col] = Fp16.toFloat(w.scale(g * groupSize, col));
                zeros[g * np + col] = w.zero(g * groupSize, col);
            }
        }
    }

    /** Padded column count. */
    int paddedCols() {
        return strips * stripCols;
    }
}

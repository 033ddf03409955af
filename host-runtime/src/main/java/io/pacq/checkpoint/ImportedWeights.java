package io.pacq.checkpoint;

import io.pacq.Fp16Matrix;
import io.pacq.quant.QuantizedWeights;

import java.util.Objects;

/**
 * One quantized layer taken from a checkpoint: PacQ weights, plus the input permutation of an
 * act-order GPTQ layer. Immutable; thread-safe.
 *
 * <p>An act-order layer's groups are scattered over the input rows (its {@code g_idx} is not
 * {@code k / g}); PacQ groups are runs of g consecutive rows, so the importer sorts the rows by
 * group. The weights then hold {@code W'[i] = W[perm[i]]}, and since
 * {@code A·W = Σ_k A[:,k]·W[k] = Σ_i A[:,perm[i]]·W'[i]}, a GEMM must be fed the activations with
 * their columns permuted the same way: {@code A'[:, i] = A[:, perm[i]]}
 * ({@link #permuteActivations}; in NumPy, {@code a[:, perm]}). The output needs no change.
 */
public final class ImportedWeights {
    private final QuantizedWeights weights;
    private final int[] perm;
    private final CheckpointFormat format;
    private final String prefix;

    ImportedWeights(QuantizedWeights weights, int[] perm, CheckpointFormat format, String prefix) {
        this.weights = Objects.requireNonNull(weights, "weights");
        this.perm = perm;
        this.format = format;
        this.prefix = prefix;
    }

    /** The weights, rows in PacQ group order (permuted when {@link #hasInputPermutation()}). */
    public QuantizedWeights weights() { return weights; }

    /** True for an act-order layer whose rows were sorted by group. */
    public boolean hasInputPermutation() { return perm != null; }

    /**
     * A copy of the input permutation: row i of {@link #weights()} is row perm[i] of the
     * checkpoint's weight; the identity when there is none. Length K.
     */
    public int[] inputPermutation() {
        if (perm != null) {
            return perm.clone();
        }
        int[] id = new int[weights.k()];
        for (int i = 0; i < id.length; i++) {
            id[i] = i;
        }
        return id;
    }

    /**
     * The activations a GEMM with {@link #weights()} needs: A'[:, i] = A[:, perm[i]]; A itself
     * when there is no permutation.
     *
     * @throws IllegalArgumentException when A does not have K columns
     */
    public Fp16Matrix permuteActivations(Fp16Matrix a) {
        if (a.cols() != weights.k()) {
            throw new IllegalArgumentException("activations have " + a.cols() + " columns, the weights of " + prefix
                    + " have K = " + weights.k() + " rows");
        }
        if (perm == null) {
            return a;
        }
        short[] src = a.bitsView();
        short[] out = new short[src.length];
        int k = a.cols();
        for (int r = 0; r < a.rows(); r++) {
            int base = r * k;
            for (int i = 0; i < k; i++) {
                out[base + i] = src[base + perm[i]];
            }
        }
        return Fp16Matrix.ofBits(a.rows(), k, out);
    }

    /** The format the layer was read in. */
    public CheckpointFormat format() { return format; }

    /** The layer's tensor-name prefix in the checkpoint. */
    public String prefix() { return prefix; }

    @Override
    public String toString() {
        return format.cliName() + " layer " + prefix + ": " + weights + (perm != null ? ", act-order (input permuted)" : "");
    }
}

package io.pacq.tools;

import io.pacq.Device;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.OutputType;
import io.pacq.WeightHandle;
import io.pacq.checkpoint.Checkpoint;
import io.pacq.checkpoint.CheckpointFormat;
import io.pacq.checkpoint.CheckpointImporter;
import io.pacq.checkpoint.ImportedWeights;
import io.pacq.fp.Fp16;
import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedWeights;
import io.pacq.quant.Quantizer;
import io.pacq.ref.ReferenceGemm;
import io.pacq.tensor.SafetensorsFile;
import io.pacq.tensor.Tensor;
import io.pacq.testing.QuantCheckpoints;
import io.pacq.testing.QuantCheckpoints.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole LLaMA-style MLP block from a generated GPTQ checkpoint, run on emu: in PACQ and DEQUANT
 * modes: {@code y = down(silu(gate(x)) * up(x))}, hidden 256, intermediate 512, INT4, groups of 64,
 * symmetric (AutoGPTQ's default), down_proj quantized with act-order.
 *
 * <p>The checkpoint is made the way GPTQ makes one: float weights quantized group by group
 * (act-order: over the rows in a random order, recorded in g_idx), packed by the test's own GPTQ
 * packer. The block's output is compared with an FP32 evaluation of the same block with the
 * de-quantized weights {@code s·(q − z)} taken from the checkpoint's own arrays.
 *
 * <p><b>Tolerance.</b> Per output element, a first-order bound of every rounding between the two
 * evaluations, with u16 = 2^-11 and u32 = 2^-24 (unit roundoffs) and S = Σ|a|·|w| of a GEMM:
 * <ul>
 *   <li>each GEMM, device vs FP32 reference: the device rounds K partial sums and 2·K/g group
 *       products and sums (PACQ; K sums in DEQUANT), the reference K products (a·w needs up to 26
 *       bits) and K sums: (3K + 2K/g + 2)·u32·S together; DEQUANT also rounds each weight to FP16
 *       (u16·S);
 *   <li>h = silu(gate)·up: errors e_g, e_u of the inputs propagate as |silu'|·e_g·|u| + |silu(g)|·e_u
 *       + e_g·e_u·|silu'| with |silu'| ≤ 1.1; the device path rounds h to FP16 for the next GEMM
 *       (u16·|h|), and both paths round silu and the product in FP32 (8·u32·|h|);
 *   <li>y: Σ e_h·|w_down| plus the down GEMM's own term.
 * </ul>
 * Every element must be within its bound; the bound is not vacuous (the test also asks for a
 * relative RMS error below 1e-3, while any wrong code, scale, zero or permutation gives errors
 * of the order of the output itself).
 */
class MlpBlockExampleTest {
    static final int H = 256;
    static final int I = 512;
    static final int M = 8;
    static final int G = 64;
    static final int BITS = 4;
    static final String L0 = "model.layers.0.mlp.";
    static final double U16 = 0x1p-11;
    static final double U32 = 0x1p-24;

    @TempDir
    Path dir;

    /** GPTQ-quantizes float weights [k][n]; rows visited in the given order (act-order), identity if null. */
    static Layer gptqQuantize(float[] w, int k, int n, int[] order) {
        float[] ordered = new float[k * n];
        for (int i = 0; i < k; i++) {
            System.arraycopy(w, (order == null ? i : order[i]) * n, ordered, i * n, n);
        }
        QuantizedWeights q = Quantizer.quantize(ordered, k, n, QuantSpec.of(BITS, G).asSymmetric());
        int[] codes = new int[k * n];
        int[] gIdx = new int[k];
        for (int i = 0; i < k; i++) {
            int row = order == null ? i : order[i];
            gIdx[row] = i / G;
            for (int c = 0; c < n; c++) {
                codes[row * n + c] = q.code(i, c);
            }
        }
        int[] z = new int[k / G * n];
        short[] s = new short[k / G * n];
        for (int gr = 0; gr < k / G; gr++) {
            for (int c = 0; c < n; c++) {
                z[gr * n + c] = q.zero(gr * G, c);
                s[gr * n + c] = q.scale(gr * G, c);
            }
        }
        return new Layer(k, n, BITS, G, codes, z, s, gIdx);
    }

    static float[] gaussian(SplittableRandom rnd, int count, double sigma) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) (DemoCommand.gaussian(rnd) * sigma);
        }
        return out;
    }

    static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    /** FP32 GEMM a[m][k] x w[k][n] with w from the layer's de-quantized values. */
    static float[] fp32Gemm(float[] a, int m, Layer l) {
        float[] out = new float[m * l.n()];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < l.n(); c++) {
                float acc = 0f;
                for (int k = 0; k < l.k(); k++) {
                    acc += a[r * l.k() + k] * (float) l.w(k, c);
                }
                out[r * l.n() + c] = acc;
            }
        }
        return out;
    }

    /** S = Σ_k |a|·|w| per output. */
    static double[] absGemm(double[] a, int m, Layer l) {
        double[] out = new double[m * l.n()];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < l.n(); c++) {
                double acc = 0;
                for (int k = 0; k < l.k(); k++) {
                    acc += Math.abs(a[r * l.k() + k]) * Math.abs(l.w(k, c));
                }
                out[r * l.n() + c] = acc;
            }
        }
        return out;
    }

    static double gemmTerm(GemmMode mode, int k) {
        return (mode == GemmMode.DEQUANT ? U16 : 0) + (3.0 * k + 2.0 * k / G + 2) * U32;
    }

    @Test
    void mlpBlockFromAGptqCheckpointOnEmuInBothModes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(2025);
        Layer gate = gptqQuantize(gaussian(rnd, H * I, 0.05), H, I, null);
        Layer up = gptqQuantize(gaussian(rnd, H * I, 0.05), H, I, null);
        int[] actOrder = new int[I];
        for (int i = 0; i < I; i++) {
            actOrder[i] = i;
        }
        for (int i = I - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = actOrder[i];
            actOrder[i] = actOrder[j];
            actOrder[j] = t;
        }
        Layer down = gptqQuantize(gaussian(rnd, I * H, 0.05), I, H, actOrder);

        Map<String, Tensor> ckpt = new LinkedHashMap<>();
        ckpt.putAll(QuantCheckpoints.gptq(L0 + "gate_proj", gate, true));
        ckpt.putAll(QuantCheckpoints.gptq(L0 + "up_proj", up, true));
        ckpt.putAll(QuantCheckpoints.gptq(L0 + "down_proj", down, true));
        Path file = dir.resolve("model.safetensors");
        SafetensorsFile.write(file, ckpt, Map.of("format", "pt"));

        ImportedWeights wg;
        ImportedWeights wu;
        ImportedWeights wd;
        try (Checkpoint c = Checkpoint.open(file)) {
            wg = CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, L0 + "gate_proj");
            wu = CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, L0 + "up_proj");
            wd = CheckpointImporter.importLayer(c, CheckpointFormat.GPTQ, L0 + "down_proj");
        }
        assertTrue(wd.hasInputPermutation() && !wg.hasInputPermutation() && wd.weights().symmetric());

        float[] xf = gaussian(rnd, M * H, 1.0);
        Fp16Matrix x = Fp16Matrix.ofFloats(M, H, xf);
        float[] x32 = Fp16.toFloats(x.toBits());
        double[] x64 = new double[x32.length];
        for (int i = 0; i < x32.length; i++) {
            x64[i] = x32[i];
        }

        // FP32 reference with the de-quantized weights, in the checkpoint's own row order
        float[] gRef = fp32Gemm(x32, M, gate);
        float[] uRef = fp32Gemm(x32, M, up);
        float[] hRef = new float[M * I];
        double[] hAbs = new double[M * I];
        for (int i = 0; i < hRef.length; i++) {
            hRef[i] = (float) silu(gRef[i]) * uRef[i];
            hAbs[i] = hRef[i];
        }
        float[] yRef = fp32Gemm(hRef, M, down);
        double[] sg = absGemm(x64, M, gate);
        double[] su = absGemm(x64, M, up);
        double[] sd = absGemm(hAbs, M, down);

        try (Device dev = Device.open("emu:?mem=256M");
             WeightHandle hg = dev.upload(wg.weights());
             WeightHandle hu = dev.upload(wu.weights());
             WeightHandle hd = dev.upload(wd.weights())) {
            for (GemmMode mode : new GemmMode[] {GemmMode.PACQ, GemmMode.DEQUANT}) {
                Fp16Matrix xin = wg.permuteActivations(x);
                int[] gBits = dev.gemm(GemmRequest.of(hg, xin).withMode(mode).withOutput(OutputType.F32)).f32Bits();
                Fp16Matrix xu = wu.permuteActivations(x);
                int[] uBits = dev.gemm(GemmRequest.of(hu, xu).withMode(mode).withOutput(OutputType.F32)).f32Bits();
                assertArrayEquals(ReferenceGemm.gemmF32(mode, xin.toBits(), M, wg.weights()), gBits, "gate " + mode);
                assertArrayEquals(ReferenceGemm.gemmF32(mode, xu.toBits(), M, wu.weights()), uBits, "up " + mode);
                float[] h = new float[M * I];
                for (int i = 0; i < h.length; i++) {
                    h[i] = (float) silu(Float.intBitsToFloat(gBits[i])) * Float.intBitsToFloat(uBits[i]);
                }
                Fp16Matrix hin = wd.permuteActivations(Fp16Matrix.ofFloats(M, I, h));
                int[] yBits = dev.gemm(GemmRequest.of(hd, hin).withMode(mode).withOutput(OutputType.F32)).f32Bits();
                assertArrayEquals(ReferenceGemm.gemmF32(mode, hin.toBits(), M, wd.weights()), yBits, "down " + mode);

                double num = 0;
                double den = 0;
                double worst = 0;
                for (int r = 0; r < M; r++) {
                    double[] eh = new double[I];
                    for (int i = 0; i < I; i++) {
                        int at = r * I + i;
                        double eg = gemmTerm(mode, H) * sg[at];
                        double eu = gemmTerm(mode, H) * su[at];
                        double gv = gRef[at];
                        eh[i] = 1.1 * eg * Math.abs(uRef[at]) + Math.abs(silu(gv)) * eu + 1.1 * eg * eu
                                + (U16 + 8 * U32) * (Math.abs(hRef[at]) + 1.1 * eg * Math.abs(uRef[at])
                                + Math.abs(silu(gv)) * eu + 1.1 * eg * eu);
                    }
                    for (int c = 0; c < H; c++) {
                        double bound = gemmTerm(mode, I) * sd[r * H + c];
                        for (int i = 0; i < I; i++) {
                            bound += eh[i] * Math.abs(down.w(i, c));
                        }
                        float y = Float.intBitsToFloat(yBits[r * H + c]);
                        double err = Math.abs(y - (double) yRef[r * H + c]);
                        assertTrue(err <= bound, String.format(Locale.ROOT, "%s y[%d][%d] = %s, FP32 reference %s:"
                                + " error %.3e beyond the bound %.3e", mode, r, c, y, yRef[r * H + c], err, bound));
                        worst = Math.max(worst, err / bound);
                        num += err * err;
                        den += (double) yRef[r * H + c] * yRef[r * H + c];
                    }
                }
                double relRms = Math.sqrt(num / den);
                System.out.printf(Locale.ROOT, "MLP block (H=%d, I=%d, M=%d, GPTQ INT4 g%d, down_proj act-order) %s:"
                        + " relative RMS error vs FP32 %.3e, largest error / bound %.3f%n", H, I, M, G, mode, relRms, worst);
                assertTrue(relRms < 1e-3, mode + ": relative RMS error " + relRms);
            }
        }
    }
}

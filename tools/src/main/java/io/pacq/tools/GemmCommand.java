package io.pacq.tools;

import io.pacq.Device;
import io.pacq.DeviceInfo;
import io.pacq.Fp16Matrix;
import io.pacq.GemmMode;
import io.pacq.GemmRequest;
import io.pacq.GemmResult;
import io.pacq.InvalidRequestException;
import io.pacq.OutputType;
import io.pacq.WeightHandle;
import io.pacq.checkpoint.ImportedWeights;
import io.pacq.quant.QuantizedFile;
import io.pacq.quant.QuantizedWeights;
import io.pacq.quant.Quantizer;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pacq gemm}: C = A x W on a device, from files. */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "Run C = A x W on a device. W is a quantized interchange file, or float weights [K, N] "
                + "quantized on the fly with --bits/--group, or a layer of a GPTQ/AWQ checkpoint with --format/--prefix; "
                + "A is FP16-rounded activations [M, K] (.npy or .safetensors); C is written as .npy or .safetensors.")
final class GemmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptionsMixin device;

    @Mixin
    QuantOptions quant;

    @Option(names = {"-w", "--weights"}, required = true, paramLabel = "W",
            description = "Quantized interchange file, or float weights [K, N] with --bits and --group.")
    Path weights;

    @Option(names = "--tensor", paramLabel = "NAME", description = "Which tensor of a float safetensors weight file.")
    String tensor;

    @Option(names = "--format", paramLabel = "F",
            description = "W is a GPTQ or AWQ checkpoint (file, index or directory): gptq or awq, with --prefix.")
    String format;

    @Option(names = "--prefix", paramLabel = "P", description = "The checkpoint layer to use, e.g. model.layers.0.mlp.down_proj.")
    String prefix;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "A", description = "Activations [M, K].")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "C", description = "Output [M, N].")
    Path output;

    @Option(names = "--mode", defaultValue = "pacq", paramLabel = "MODE",
            description = "pacq (default), dequant, or kpacked.")
    String mode;

    @Option(names = "--out-dtype", defaultValue = "f16", paramLabel = "T", description = "f16 (default) or f32.")
    String outDtype;

    @Option(names = "--stats", description = "Print JSON: shape, mode, times and the device's counters.")
    boolean stats;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        GemmMode gm = parseMode(mode);
        OutputType ot = switch (outDtype.toLowerCase(Locale.ROOT)) {
            case "f16" -> OutputType.F16;
            case "f32" -> OutputType.F32;
            default -> throw new InvalidRequestException("--out-dtype must be f16 or f32, got '" + outDtype + "'");
        };
        long t0 = System.nanoTime();
        ImportedWeights imported = format != null || prefix != null ? importLayer() : null;
        QuantizedWeights w = imported != null ? imported.weights() : loadWeights();
        Fp16Matrix a = TensorFiles.readFp16Matrix(input, null);
        if (a.cols() != w.k()) {
            throw new InvalidRequestException("shape mismatch: " + input + " is [" + a.rows() + ", " + a.cols()
                    + "] but the weights " + weights + " are [K=" + w.k() + ", N=" + w.n() + "]; A needs " + w.k()
                    + " columns");
        }
        if (imported != null) {
            a = imported.permuteActivations(a);          // act-order GPTQ: A[:, perm]; A itself otherwise
        }
        long tLoad = System.nanoTime();
        GemmResult r;
        DeviceInfo info;
        long tUpload;
        try (Device dev = device.open()) {
            info = dev.info();
            EnumSet<GemmMode> modes = gm == GemmMode.KPACKED ? EnumSet.of(GemmMode.KPACKED) : EnumSet.of(gm);
            try (WeightHandle h = dev.upload(w, modes)) {
                tUpload = System.nanoTime();
                r = dev.gemm(GemmRequest.of(h, a).withMode(gm).withOutput(ot));
            }
        }
        long tGemm = System.nanoTime();
        long[] shape = {a.rows(), w.n()};
        TensorFiles.write(output, "C", ot == OutputType.F16 ? Tensor.ofF16(shape, r.f16Bits())
                : Tensor.ofF32Bits(shape, r.f32Bits()));
        long tEnd = System.nanoTime();
        if (stats) {
            out.println(statsJson(info, a, w, gm, ot, r, tLoad - t0, tUpload - tLoad, tGemm - tUpload, tEnd - tGemm));
        } else {
            out.printf(Locale.ROOT, "C [%d, %d] %s written to %s (%s, %.3f ms on %s)%n", a.rows(), w.n(), ot, output, gm,
                    r.deviceNanos() / 1e6, info.uri());
        }
        return 0;
    }

    static GemmMode parseMode(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "pacq" -> GemmMode.PACQ;
            case "dequant" -> GemmMode.DEQUANT;
            case "kpacked" -> GemmMode.KPACKED;
            default -> throw new InvalidRequestException("--mode must be pacq, dequant or kpacked, got '" + s + "'");
        };
    }

    private ImportedWeights importLayer() throws IOException {
        if (quant.group != null || quant.symmetric || quant.groupCols != 1) {
            throw new InvalidRequestException("a --format checkpoint is already quantized; drop --group/--group-cols/--symmetric");
        }
        return ImportCommand.load(weights, format, prefix, quant.bits);
    }

    private QuantizedWeights loadWeights() throws IOException {
        if (QuantizedFile.isQuantizedFile(weights)) {
            if (quant.given()) {
                throw new InvalidRequestException(weights + " is already quantized; drop --bits/--group");
            }
            return QuantizedFile.read(weights);
        }
        if (!quant.given()) {
            throw new InvalidRequestException(weights + " holds float weights, not a quantized interchange file; "
                    + "give --bits and --group to quantize them on the fly (or run pacq quantize first)");
        }
        Tensor t = TensorFiles.readMatrix(weights, tensor);
        try {
            return Quantizer.quantize(t.toFloats(), (int) t.dim(0), (int) t.dim(1), quant.spec());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(weights + ": " + e.getMessage(), e);
        }
    }

    private static String statsJson(DeviceInfo info, Fp16Matrix a, QuantizedWeights w, GemmMode gm, OutputType ot,
                                    GemmResult r, long load, long upload, long gemm, long write) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", info.uri());
        m.put("model", info.model());
        m.put("m", a.rows());
        m.put("n", w.n());
        m.put("k", w.k());
        m.put("bits", w.bits());
        m.put("group_size", w.groupSize());
        m.put("group_cols", w.groupCols());
        m.put("symmetric", w.symmetric());
        m.put("mode", gm.name());
        m.put("out_dtype", ot.name());
        m.put("load_ms", load / 1e6);
        m.put("upload_ms", upload / 1e6);
        m.put("gemm_ms", r.deviceNanos() / 1e6);
        m.put("gemm_wall_ms", gemm / 1e6);
        m.put("write_ms", write / 1e6);
        m.put("gflops", 2.0 * a.rows() * w.n() * w.k() / r.deviceNanos());
        m.put("counters", Json.counters(r.stats()));
        return Json.write(m);
    }
}

package io.pacq.tools;

import io.pacq.quant.QuantSpec;
import io.pacq.quant.QuantizedFile;
import io.pacq.quant.QuantizedWeights;
import io.pacq.quant.Quantizer;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code pacq quantize}: float weights [K, N] to the quantized interchange file. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize float weights laid out [K, N] (a .npy file, or a safetensors file with one 2-D tensor "
                + "or --tensor NAME) into the quantized interchange file (safetensors: qcodes, scales, zeros).")
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    QuantOptions quant;

    @Option(names = "--tensor", paramLabel = "NAME", description = "Which tensor of a safetensors file to quantize.")
    String tensor;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.safetensors", description = "Output file.")
    Path output;

    @Parameters(index = "0", paramLabel = "IN", description = "Weights, [K, N]: .npy or .safetensors.")
    Path input;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        QuantSpec qs = quant.spec();
        long t0 = System.nanoTime();
        Tensor w = TensorFiles.readMatrix(input, tensor);
        int k = (int) w.dim(0);
        int n = (int) w.dim(1);
        QuantizedWeights q;
        try {
            q = Quantizer.quantize(w.toFloats(), k, n, qs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(input + ": " + e.getMessage(), e);
        }
        QuantizedFile.write(output, q);
        out.printf("%s: [K=%d, N=%d] %s -> %s (%s) in %.0f ms%n", input, k, n, w.dtype(), output,
                DemoCommand.describe(qs), (System.nanoTime() - t0) / 1e6);
        return 0;
    }
}

package io.pacq.tools;

import io.pacq.InvalidRequestException;
import io.pacq.checkpoint.Checkpoint;
import io.pacq.checkpoint.CheckpointFormat;
import io.pacq.checkpoint.CheckpointImporter;
import io.pacq.checkpoint.ImportedWeights;
import io.pacq.quant.QuantizedFile;
import io.pacq.quant.QuantizedWeights;
import io.pacq.tensor.Npy;
import io.pacq.tensor.Tensor;
import io.pacq.tensor.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code pacq import}: one layer of a GPTQ or AWQ checkpoint to the quantized interchange file;
 * {@code --list} shows the checkpoint's quantized layers.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert one quantized layer of a GPTQ (AutoGPTQ v1) or AWQ (GEMM) safetensors checkpoint - a "
                + "file, a *.safetensors.index.json of a sharded one, or a directory - to the quantized interchange "
                + "file, exactly (codes, scales and zero points unchanged). --list shows the quantized layers.")
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "F", description = "Checkpoint layout: gptq or awq.")
    String format;

    @Option(names = "--prefix", paramLabel = "P",
            description = "The layer's tensor-name prefix, e.g. model.layers.0.mlp.down_proj (P.qweight, P.qzeros, ...).")
    String prefix;

    @Option(names = "--bits", paramLabel = "B",
            description = "Code width 2, 4 or 8 when the shapes cannot tell (GPTQ layers narrower than 32 columns "
                    + "without g_idx); read from the shapes by default.")
    Integer bits;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.safetensors", description = "The interchange file to write.")
    Path output;

    @Option(names = "--perm-out", paramLabel = "PERM.npy",
            description = "For an act-order GPTQ layer: where to write the input permutation (I32 [K]); a GEMM with "
                    + "the imported weights must be fed A[:, perm].")
    Path permOut;

    @Option(names = "--list", description = "List the checkpoint's quantized layers and exit.")
    boolean list;

    @Parameters(index = "0", paramLabel = "CHECKPOINT",
            description = "model.safetensors, model.safetensors.index.json, or the directory holding them.")
    Path checkpoint;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            try (Checkpoint c = Checkpoint.open(checkpoint)) {
                for (String layer : c.quantizedLayers()) {
                    TensorInfo qw = c.info(layer + "." + CheckpointImporter.QWEIGHT);
                    TensorInfo sc = c.contains(layer + "." + CheckpointImporter.SCALES)
                            ? c.info(layer + "." + CheckpointImporter.SCALES) : null;
                    out.printf("%s  qweight %s%s%s%n", layer, Arrays.toString(qw.shape()),
                            sc == null ? "" : "  scales " + Arrays.toString(sc.shape()),
                            c.contains(layer + "." + CheckpointImporter.G_IDX) ? "  g_idx" : "");
                }
                out.printf("%d quantized layers in %s%n", c.quantizedLayers().size(), c.path());
                if (c.quantizationConfigFile() != null) {
                    out.printf("settings (%s): %s%n", c.quantizationConfigFile(), c.quantizationConfig());
                }
            }
            return 0;
        }
        if (output == null) {
            throw new InvalidRequestException("give the interchange file to write with -o OUT.safetensors");
        }
        long t0 = System.nanoTime();
        ImportedWeights imp = load(checkpoint, format, prefix, bits);
        if (imp.hasInputPermutation() && permOut == null) {
            throw new InvalidRequestException(prefix + "." + CheckpointImporter.G_IDX + " is act-order: the rows of the"
                    + " weights are sorted by group, so a GEMM must be fed the activations' columns permuted the same"
                    + " way, which the interchange file cannot record; give --perm-out PERM.npy (and feed A[:, perm]),"
                    + " or run pacq gemm --weights " + checkpoint + " --format " + format + " --prefix " + prefix
                    + ", which permutes A itself");
        }
        QuantizedWeights w = imp.weights();
        QuantizedFile.write(output, w);
        if (imp.hasInputPermutation()) {
            Npy.write(permOut, Tensor.ofI32(new long[] {w.k()}, imp.inputPermutation()));
        }
        out.printf(Locale.ROOT, "%s (%s): [K=%d, N=%d] INT%d, groups of %d, %s -> %s%s in %.0f ms%n", prefix,
                imp.format().cliName(), w.k(), w.n(), w.bits(), w.groupSize(), w.symmetric() ? "symmetric" : "asymmetric",
                output, imp.hasInputPermutation() ? ", act-order: input permutation -> " + permOut : "",
                (System.nanoTime() - t0) / 1e6);
        return 0;
    }

    /**
     * Imports a layer for {@code pacq import} and {@code pacq gemm --format}: checks the options
     * and names what is missing.
     */
    static ImportedWeights load(Path checkpoint, String format, String prefix, Integer bits) throws IOException {
        if (format == null || prefix == null) {
            throw new InvalidRequestException("importing a checkpoint layer needs --format gptq|awq and --prefix P"
                    + " (pacq import --list " + checkpoint + " shows the layers)");
        }
        CheckpointFormat f = CheckpointFormat.parse(format);
        return CheckpointImporter.importLayer(checkpoint, f, prefix, bits == null ? 0 : bits);
    }
}

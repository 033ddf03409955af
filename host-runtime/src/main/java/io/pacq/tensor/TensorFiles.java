package io.pacq.tensor;

import io.pacq.Fp16Matrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry point for "a tensor from a file", whatever its format: the command line and user
 * code read and write tensors through these methods. A file is a {@code .npy} file when it starts
 * with NumPy's magic string, otherwise a safetensors file; writers choose by the file extension.
 * Stateless and thread-safe.
 */
public final class TensorFiles {
    private TensorFiles() {}

    /** The file formats. */
    public enum Format {
        /** safetensors: any number of named tensors plus string metadata. */
        SAFETENSORS,
        /** NumPy .npy: one unnamed tensor. */
        NPY
    }

    /**
     * The format of an existing file, from its first bytes: NumPy's magic string means NPY,
     * anything else is taken as safetensors (whose reader then says what is wrong).
     */
    public static Format detect(Path file) throws IOException {
        try (FileChannel ch = FileIo.openRead(file)) {
            ByteBuffer head = ByteBuffer.allocate(6);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // read up to 6 bytes
            }
            return Npy.hasMagic(Arrays.copyOf(head.array(), head.position())) ? Format.NPY : Format.SAFETENSORS;
        }
    }

    /**
     * The format a file name asks for: {@code .npy} or {@code .safetensors} (case-insensitive).
     *
     * @throws IllegalArgumentException for any other extension
     */
    public static Format formatForName(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return Format.NPY;
        }
        if (name.endsWith(".safetensors")) {
            return Format.SAFETENSORS;
        }
        throw new IllegalArgumentException(file + ": cannot tell the tensor format from the file name;"
                + " expected a name ending in .npy or .safetensors");
    }

    /** The tensors in a file (one for .npy), from the header only. */
    public static List<TensorInfo> list(Path file) throws IOException {
        if (detect(file) == Format.NPY) {
            return List.of(Npy.readInfo(file));
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.tensors();
        }
    }

    /**
     * Reads one tensor.
     *
     * @param name  the tensor's name in a safetensors file, or null for the file's only tensor;
     *              must be null for a .npy file
     * @throws TensorFormatException when the name is absent, or null and the file holds several tensors
     */
    public static Tensor read(Path file, String name) throws IOException {
        if (detect(file) == Format.NPY) {
            requireNoName(file, name);
            return Npy.read(file);
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            if (name != null) {
                return f.read(name);
            }
            List<TensorInfo> all = f.tensors();
            if (all.size() != 1) {
                throw new TensorFormatException(file, null, null, "holds " + SafetensorsFile.listing(all)
                        + "; name the tensor to read");
            }
            return f.read(all.get(0).name());
        }
    }

    /**
     * Reads a 2-D tensor, e.g. weights [K, N] or activations [M, K].
     *
     * @param name  the tensor's name in a safetensors file, or null for the file's only 2-D tensor;
     *              must be null for a .npy file
     * @throws TensorFormatException when the tensor is not 2-D, or null was given and the file holds
     *                               no or several 2-D tensors
     */
    public static Tensor readMatrix(Path file, String name) throws IOException {
        if (detect(file) == Format.NPY) {
            requireNoName(file, name);
            return requireMatrix(file, null, Npy.read(file));
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            if (name != null) {
                return requireMatrix(file, name, f.read(name));
            }
            List<TensorInfo> matrices = f.tensors().stream().filter(t -> t.rank() == 2).toList();
            if (matrices.size() != 1) {
                throw new TensorFormatException(file, null, null, "holds " + (matrices.isEmpty() ? "no" : matrices.size())
                        + " 2-D tensors (" + SafetensorsFile.listing(f.tensors()) + "); expected exactly one, or name it");
            }
            return f.read(matrices.get(0).name());
        }
    }

    /**
     * Reads a 2-D tensor of any type as an FP16 matrix (e.g. activations): F16 exactly, every other
     * type rounded with RN16 (see {@link Tensor#toFp16Bits()}). Both dimensions must be at least 1.
     */
    public static Fp16Matrix readFp16Matrix(Path file, String name) throws IOException {
        Tensor t = readMatrix(file, name);
        if (t.dim(0) < 1 || t.dim(1) < 1) {
            throw new TensorFormatException(file, name, "shape", Arrays.toString(t.shape())
                    + ": expected both dimensions to be at least 1");
        }
        return Fp16Matrix.ofBits((int) t.dim(0), (int) t.dim(1), t.toFp16Bits());
    }

    /**
     * Writes one tensor, in the format the file name asks for ({@link #formatForName}).
     *
     * @param name  the tensor's name in a safetensors file (ignored for .npy)
     */
    public static void write(Path file, String name, Tensor tensor) throws IOException {
        if (formatForName(file) == Format.NPY) {
            Npy.write(file, tensor);
        } else {
            SafetensorsFile.write(file, Map.of(name, tensor), Map.of());
        }
    }

    private static void requireNoName(Path file, String name) throws TensorFormatException {
        if (name != null) {
            throw new TensorFormatException(file, name, null, "a .npy file holds one unnamed tensor; give no tensor name");
        }
    }

    private static Tensor requireMatrix(Path file, String name, Tensor t) throws TensorFormatException {
        if (t.rank() != 2) {
            throw new TensorFormatException(file, name, "shape", Arrays.toString(t.shape()) + " has rank " + t.rank()
                    + "; expected a 2-D tensor");
        }
        return t;
    }
}

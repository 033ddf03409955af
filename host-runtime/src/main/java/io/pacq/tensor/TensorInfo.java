package io.pacq.tensor;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a file's header says about one tensor, checked against the file: its name, element type,
 * shape and where its bytes are. Obtained without reading any tensor data. Immutable.
 *
 * <p>A safetensors file may hold tensors of types PacQ does not read (e.g. F64, I64); they are
 * listed, with {@link #dtype()} empty, and only reading them is an error.
 */
public final class TensorInfo {
    private final String name;
    private final String dtypeName;
    private final int elementSize;
    private final long[] shape;
    private final long fileOffset;
    private final long byteLength;

    TensorInfo(String name, String dtypeName, int elementSize, long[] shape, long fileOffset, long byteLength) {
        this.name = name;
        this.dtypeName = dtypeName;
        this.elementSize = elementSize;
        this.shape = shape.clone();
        this.fileOffset = fileOffset;
        this.byteLength = byteLength;
    }

    /** The tensor's name (for .npy files, the file name). */
    public String name() { return name; }

    /** The element type's safetensors name (e.g. "F16", or "F64" for a type PacQ does not read). */
    public String dtypeName() { return dtypeName; }

    /** The element type, or empty when PacQ does not support it. */
    public Optional<DType> dtype() {
        return Optional.ofNullable(DType.fromSafetensorsName(dtypeName));
    }

    /** Bytes per element. */
    public int elementSize() { return elementSize; }

    /** A copy of the shape; empty for a scalar. */
    public long[] shape() { return shape.clone(); }

    /** Number of dimensions. */
    public int rank() { return shape.length; }

    /** Number of elements (product of the shape; 1 for a scalar). */
    public long elementCount() { return elementSize == 0 ? 0 : byteLength / elementSize; }

    /** Absolute offset of the first data byte in the file. */
    public long fileOffset() { return fileOffset; }

    /** Data size in bytes. */
    public long byteLength() { return byteLength; }

    /** "name: DTYPE [d0, d1]" for messages. */
    @Override
    public String toString() {
        return name + ": " + dtypeName + " " + Arrays.toString(shape);
    }
}

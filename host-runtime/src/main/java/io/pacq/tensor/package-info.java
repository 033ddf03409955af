/**
 * Tensor files users bring and take away: safetensors ({@link io.pacq.tensor.SafetensorsFile}) and
 * NumPy {@code .npy} ({@link io.pacq.tensor.Npy}), read with every length, offset and shape checked
 * against the file before anything is allocated, and written atomically. {@link
 * io.pacq.tensor.TensorFiles} is the format-independent entry point; {@link io.pacq.tensor.Tensor}
 * the in-memory model; every format problem is a {@link io.pacq.tensor.TensorFormatException}
 * naming the file, tensor and field. See docs/formats.md.
 */
package io.pacq.tensor;

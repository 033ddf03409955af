/**
 * Quantized model checkpoints users bring: {@link io.pacq.checkpoint.Checkpoint} opens a
 * safetensors checkpoint (one file, or sharded with its index) and finds tensors by name;
 * {@link io.pacq.checkpoint.CheckpointImporter} converts one GPTQ (AutoGPTQ v1) or AWQ (GEMM) layer
 * exactly to PacQ {@link io.pacq.quant.QuantizedWeights}, returned as
 * {@link io.pacq.checkpoint.ImportedWeights} with the input permutation of act-order layers.
 * Every problem is a {@link io.pacq.tensor.TensorFormatException} naming the file and the tensor.
 * See docs/checkpoints.md.
 */
package io.pacq.checkpoint;

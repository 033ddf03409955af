package io.pacq;

import io.pacq.quant.QuantSpec;

/**
 * Quantized weights resident on one device, usable by any number of GEMMs until closed.
 * Owned by the caller: close it to free the device memory (a device closed with live handles
 * reports them). Thread-safe.
 */
public interface WeightHandle extends AutoCloseable {
    /** Rows of W (K). */
    int k();

    /** Columns of W (N). */
    int n();

    /** Quantization parameters. */
    QuantSpec spec();

    /** Device-memory bytes held by this handle. */
    long deviceBytes();

    /** False once closed (or once its device is closed or has lost it). */
    boolean isOpen();

    /** Frees the device memory. Idempotent. Commands already submitted complete first. */
    @Override
    void close();
}

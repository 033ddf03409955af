package io.pacq;

import io.pacq.quant.QuantizedWeights;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A PacQ device: the emulator, the Verilated RTL, an FPGA board, or a remote server in front of
 * any of them, chosen by URI and returning the same bits (numerics contract).
 *
 * <pre>{@code
 * try (Device dev = Device.open("emu:");
 *      WeightHandle w = dev.upload(Quantizer.quantize(weights, k, n, QuantSpec.of(4, 128)))) {
 *     GemmResult c = dev.gemm(GemmRequest.of(w, Fp16Matrix.ofFloats(m, k, a)));
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may upload and submit concurrently; commands of one
 * device run in submission order. {@link #close()} frees everything the device holds.
 */
public interface Device extends AutoCloseable {

    /** Opens the device named by a URI with default options. */
    static Device open(String uri) {
        return Devices.open(uri, DeviceOptions.DEFAULTS);
    }

    /** Opens the device named by a URI. */
    static Device open(String uri, DeviceOptions options) {
        return Devices.open(uri, options);
    }

    /** Identity and capabilities, read at open. */
    DeviceInfo info();

    /**
     * Copies quantized weights to device memory once. Blocks until they are resident.
     *
     * @throws IncompatibleDeviceException when the device does not support the weights' bits
     * @throws DeviceMemoryException       when they do not fit
     */
    default WeightHandle upload(QuantizedWeights weights) {
        return upload(weights, java.util.EnumSet.of(GemmMode.PACQ, GemmMode.DEQUANT));
    }

    /**
     * Copies quantized weights to device memory in the layouts the given modes read: the
     * N-packed image serves PACQ and DEQUANT; KPACKED needs the K-packed image as well.
     */
    WeightHandle upload(QuantizedWeights weights, java.util.Set<GemmMode> modes);

    /**
     * Submits a GEMM. Never blocks on the device; the future completes with the result or
     * exceptionally with a {@link PacqException} (device error, timeout, closed device).
     * Cancelling the future abandons the result.
     *
     * @throws InvalidRequestException at once when shapes do not match or the handle belongs to
     *                                 another device or is closed
     */
    CompletableFuture<GemmResult> submit(GemmRequest request);

    /** Submits and waits; the future's failure is rethrown as it was thrown. */
    default GemmResult gemm(GemmRequest request) {
        return await(submit(request));
    }

    /**
     * Submits a kernel launch: the driver copies the program and the input buffers to device
     * memory, passes the buffers' device addresses as kernel arguments (see {@link KernelLaunch}),
     * runs the program over the grid and reads the output buffers back. Never blocks on the
     * device; the future completes with the outputs and the completion record's counters, or
     * exceptionally with a {@link DeviceException} carrying the device status (illegal
     * instruction, address fault, divergence, watchdog …), a {@link DeviceTimeoutException}, or a
     * {@link DeviceMemoryException}. Device memory the launch used is freed on every outcome.
     *
     * <p>Devices with a SIMT machine run launches (the cycle-level emulator
     * {@code emu:?model=cycle}, {@code rtlsim:}, FPGA boards); this default is for the others.
     *
     * @throws UnsupportedCommandException at once when the device does not run kernel launches
     */
    default CompletableFuture<KernelResult> launch(KernelLaunch launch) {
        throw new UnsupportedCommandException("device " + info().uri() + " does not run kernel launches ("
                + info().description() + "); use a device with a SIMT machine: emu:?model=cycle, rtlsim: or a board");
    }

    /** Launches a kernel and waits; the future's failure is rethrown as it was thrown. */
    default KernelResult runKernel(KernelLaunch launch) {
        return await(launch(launch));
    }

    /** Cumulative host-side counters. */
    DeviceCounters counters();

    /**
     * Completes or fails in-flight commands, frees all device memory and closes the link.
     * Idempotent.
     *
     * @throws ResourceLeakException after closing, when weight handles were still open
     */
    @Override
    void close();

    /** Waits for a future and rethrows its failure unwrapped (a PacqException stays one). */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PacqException("interrupted while waiting for the device", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new PacqException(String.valueOf(c), c);
        } catch (CancellationException e) {
            throw new PacqException("the command was cancelled", e);
        }
    }
}

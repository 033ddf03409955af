package io.pacq.spi;

import io.pacq.DeviceInfo;
import io.pacq.GemmRequest;
import io.pacq.IncompatibleDeviceException;
import io.pacq.InvalidRequestException;
import io.pacq.abi.Abi;

/**
 * The checks every {@link io.pacq.Device} makes before it sends a GEMM, so that each kind of device
 * refuses the same requests with the same words. Stateless and thread-safe.
 */
public final class GemmChecks {
    private GemmChecks() {}

    /**
     * Checks A's columns against the weights' K, M and the output size against the ABI's limits, and
     * the mode against what the device supports.
     *
     * @param req the request
     * @param k the weights' K (rows)
     * @param n the weights' N (columns)
     * @param info the device's description (its supported modes)
     * @param device how the device is named in messages (its URI)
     * @throws InvalidRequestException for a shape the command cannot carry
     * @throws IncompatibleDeviceException when the device does not run the request's mode
     */
    public static void check(GemmRequest req, int k, int n, DeviceInfo info, Object device) {
        if (req.activations().cols() != k) {
            throw new InvalidRequestException("shape mismatch: activations are [" + req.m() + ", "
                    + req.activations().cols() + "] but the weights are [K=" + k + ", N=" + n
                    + "]; A needs K = " + k + " columns");
        }
        if (req.m() > Abi.MAX_DIM) {
            throw new InvalidRequestException("M = " + req.m() + " exceeds the device limit " + Abi.MAX_DIM);
        }
        if ((long) req.m() * n > Integer.MAX_VALUE / 4) {
            throw new InvalidRequestException("output [" + req.m() + ", " + n + "] is too large for one command");
        }
        if (!info.supports(req.mode())) {
            throw new IncompatibleDeviceException("device " + device + " does not support mode " + req.mode());
        }
    }
}

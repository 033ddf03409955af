package io.pacq;

/**
 * Cumulative host-side counters of one open device. A snapshot; immutable.
 *
 * @param commandsSubmitted GEMM and other commands submitted
 * @param commandsCompleted commands that completed with OK status
 * @param commandsFailed    commands that failed (device error, timeout, abort, cancellation)
 * @param timeouts          commands whose deadline passed
 * @param resets            device resets done for recovery
 * @param bytesToDevice     bytes written to device memory
 * @param bytesFromDevice   bytes read from device memory
 * @param liveHandles       weight handles not yet closed
 * @param deviceBytesInUse  device memory allocated, bytes
 * @param deviceTotals      sum of the completion-record counters of completed commands
 */
public record DeviceCounters(long commandsSubmitted, long commandsCompleted, long commandsFailed, long timeouts,
                             long resets, long bytesToDevice, long bytesFromDevice, int liveHandles,
                             long deviceBytesInUse, CommandStats deviceTotals) {
}

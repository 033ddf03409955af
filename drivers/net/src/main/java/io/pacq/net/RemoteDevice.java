package io.pacq.net;

import io.pacq.Device;
import io.pacq.proto.ServerStats;

/**
 * A {@link Device} served by a remote {@code pacq serve} (URIs {@code pacq://host:port} and
 * {@code pacq+tls://host:port}), with what only a remote device has. Thread-safe.
 *
 * <p>One connection per device, reused by every call and shared by concurrent calls (requests
 * are multiplexed by id). When the connection fails, calls in flight fail with a
 * {@link io.pacq.LinkException} and the next call connects again in a new session; weights of
 * the old session are gone on the server and are uploaded again, from the
 * {@link io.pacq.quant.QuantizedWeights} the handle keeps a reference to, on their next use
 * (unless the URI says {@code reupload=false}: then using them fails with a message saying so).
 */
public interface RemoteDevice extends Device {

    /** The server's counters (requests, bytes, errors, latency percentiles, its device's counters). */
    ServerStats serverStats();

    /** The current session's id as the server named it, or null when not connected. */
    String sessionId();

    /** Times a new session was started after the first. */
    int reconnects();

    /** Lines describing server statistics, for {@code pacq info}. */
    static java.util.List<String> describe(ServerStats s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add(String.format(java.util.Locale.ROOT, "server        up %.1f s, %d client(s) connected, %d accepted, %d refused",
                s.getUptimeMs() / 1000.0, s.getClientsConnected(), s.getClientsAccepted(), s.getClientsRefused()));
        out.add(String.format(java.util.Locale.ROOT, "requests      %d GEMMs received, %d completed, %d uploads, %d frees, %d cancels",
                s.getGemmsReceived(), s.getGemmsCompleted(), s.getUploadsCompleted(), s.getFrees(), s.getCancels()));
        out.add(String.format(java.util.Locale.ROOT, "traffic       %d bytes received, %d bytes sent", s.getBytesReceived(),
                s.getBytesSent()));
        out.add(String.format(java.util.Locale.ROOT, "GEMM latency  p50 %d us, p90 %d us, p99 %d us, max %d us (on the server)",
                s.getGemmLatencyP50Us(), s.getGemmLatencyP90Us(), s.getGemmLatencyP99Us(), s.getGemmLatencyMaxUs()));
        out.add(String.format(java.util.Locale.ROOT, "resident      %d of %d bytes; device queue %d of %d",
                s.getResidentBytes(), s.getMaxResidentBytes(), s.getDeviceQueueDepth(), s.getDeviceQueueCapacity()));
        out.add("errors        " + (s.getErrorsMap().isEmpty() ? "none" : new java.util.TreeMap<>(s.getErrorsMap())));
        return out;
    }
}

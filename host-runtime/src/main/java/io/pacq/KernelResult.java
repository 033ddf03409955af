package io.pacq;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a completed {@link KernelLaunch} produced: the bytes of its output buffers, read back from
 * device memory after the kernel ended, and the completion record's counters. Immutable and
 * thread-safe; arrays are copied out.
 */
public final class KernelResult {
    private final Map<String, byte[]> outputs;
    private final CommandStats stats;
    private final long deviceNanos;

    /**
     * @param outputs     output buffer name → contents, in declaration order (taken over, not copied)
     * @param stats       the completion record's counters
     * @param deviceNanos host-observed time from submission to completion
     */
    public KernelResult(Map<String, byte[]> outputs, CommandStats stats, long deviceNanos) {
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.stats = stats;
        this.deviceNanos = deviceNanos;
    }

    /** Names of the output buffers, in declaration order. */
    public java.util.Set<String> outputNames() {
        return outputs.keySet();
    }

    /**
     * A copy of an output buffer's bytes.
     *
     * @throws InvalidRequestException when the launch declared no output of that name
     */
    public byte[] output(String name) {
        return raw(name).clone();
    }

    /** An output buffer as little-endian 32-bit words (its size must be a multiple of 4). */
    public int[] outputInts(String name) {
        byte[] b = raw(name);
        if (b.length % 4 != 0) {
            throw new InvalidRequestException("output '" + name + "' has " + b.length
                    + " bytes, not a whole number of 32-bit words");
        }
        int[] w = new int[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(w);
        return w;
    }

    /** An output buffer as little-endian FP32 values (its size must be a multiple of 4). */
    public float[] outputFloats(String name) {
        int[] w = outputInts(name);
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = Float.intBitsToFloat(w[i]);
        }
        return f;
    }

    private byte[] raw(String name) {
        byte[] b = outputs.get(name);
        if (b == null) {
            throw new InvalidRequestException("the launch has no output named '" + name + "' (outputs: "
                    + outputs.keySet() + ")");
        }
        return b;
    }

    /** Completion-record counters of the command: cycles, instructions, activity (docs/simt.md 7). */
    public CommandStats stats() { return stats; }

    /** Host-observed time from submission to completion, in nanoseconds. */
    public long deviceNanos() { return deviceNanos; }

    @Override
    public String toString() {
        return "KernelResult[outputs " + outputs.keySet() + ", " + stats.cycles() + " cycles]";
    }
}

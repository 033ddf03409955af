package io.pacq.driver;

import io.pacq.DeviceMemoryException;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocator of device-memory address ranges with coalescing free list. Every block is
 * aligned to {@link #ALIGN} bytes (a host page: DMA engines and the device's bursts like it).
 * Address 0 is never handed out, so 0 can never be a valid operand by accident. Thread-safe.
 */
public final class DeviceMemoryAllocator {
    /** Block alignment in bytes. */
    public static final long ALIGN = 4096;

    private final long size;
    private final TreeMap<Long, Long> free = new TreeMap<>();   // start -> length
    private final TreeMap<Long, Long> used = new TreeMap<>();   // start -> length
    private long inUse;

    /** Manages [ALIGN, size) of a device with {@code size} bytes of memory. */
    public DeviceMemoryAllocator(long size) {
        if (size <= 2 * ALIGN) {
            throw new IllegalArgumentException("device memory of " + size + " bytes is too small");
        }
        this.size = size;
        long end = size & ~(ALIGN - 1);
        free.put(ALIGN, end - ALIGN);
    }

    /**
     * Allocates at least {@code bytes} bytes.
     *
     * @param what named in the error message, e.g. "weights of layer 3"
     * @throws DeviceMemoryException when no free range is large enough
     */
    public synchronized long allocate(long bytes, String what) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("allocation of " + bytes + " bytes");
        }
        long len = (bytes + ALIGN - 1) & ~(ALIGN - 1);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long avail = e.getValue();
            if (avail >= len) {
                long start = e.getKey();
                // read before remove(): TreeMap may reuse the removed entry for its successor
                free.remove(start);
                if (avail > len) {
                    free.put(start + len, avail - len);
                }
                used.put(start, len);
                inUse += len;
                return start;
            }
        }
        throw new DeviceMemoryException("device memory exhausted: " + what + " needs " + bytes + " bytes, "
                + inUse + " of " + size + " bytes are in use (largest free block " + largestFree() + " bytes)");
    }

    /** Frees a block returned by {@link #allocate}. */
    public synchronized void free(long address) {
        Long len = used.remove(address);
        if (len == null) {
            throw new IllegalStateException("device address 0x" + Long.toHexString(address) + " is not allocated");
        }
        inUse -= len;
        long start = address;
        long length = len;
        Map.Entry<Long, Long> below = free.floorEntry(start);
        if (below != null && below.getKey() + below.getValue() == start) {
            free.remove(below.getKey());
            start = below.getKey();
            length += below.getValue();
        }
        Long aboveLen = free.get(address + len);
        if (aboveLen != null) {
            free.remove(address + len);
            length += aboveLen;
        }
        free.put(start, length);
    }

    /** Bytes allocated (rounded up to the alignment). */
    public synchronized long bytesInUse() {
        return inUse;
    }

    /** Number of live blocks. */
    public synchronized int blocksInUse() {
        return used.size();
    }

    /** Size of the largest free block. */
    public synchronized long largestFree() {
        long max = 0;
        for (long l : free.values()) {
            max = Math.max(max, l);
        }
        return max;
    }
}

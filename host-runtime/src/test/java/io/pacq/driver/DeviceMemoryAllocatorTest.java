package io.pacq.driver;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random allocate/free sequences never hand out overlapping blocks. Regression: allocate() read
 * a free block's length from a TreeMap entry after removing it, and TreeMap reuses a removed
 * entry with two children for its successor, so the remainder's length came from another block.
 */
class DeviceMemoryAllocatorTest {

    @Test
    void blocksNeverOverlapUnderRandomAllocationAndFree() {
        Random r = new Random(5);
        DeviceMemoryAllocator a = new DeviceMemoryAllocator(64L << 20);
        TreeMap<Long, Long> live = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            if (!order.isEmpty() && (r.nextInt(3) == 0 || live.size() > 200)) {
                long addr = order.remove(r.nextInt(order.size()));
                live.remove(addr);
                a.free(addr);
            } else {
                long bytes = 1 + r.nextInt(300_000);
                long addr;
                try {
                    addr = a.allocate(bytes, "test");
                } catch (io.pacq.DeviceMemoryException e) {
                    continue;
                }
                var below = live.floorEntry(addr);
                assertTrue(below == null || below.getKey() + below.getValue() <= addr, "overlaps the block below");
                var above = live.ceilingEntry(addr);
                assertTrue(above == null || addr + bytes <= above.getKey(), "overlaps the block above");
                live.put(addr, bytes);
                order.add(addr);
            }
        }
        for (long addr : order) {
            a.free(addr);
        }
        assertEquals(0, a.bytesInUse());
        assertEquals((64L << 20) - DeviceMemoryAllocator.ALIGN, a.largestFree(), "everything coalesced again");
    }
}

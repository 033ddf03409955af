package io.pacq.emu;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DeviceMemory (word pages) against a plain byte array model: random reads and writes at odd and
 * even addresses and lengths, across page boundaries, through every accessor.
 */
class DeviceMemoryTest {
    private static final int SIZE = 3 * DeviceMemory.PAGE_BYTES;

    @Test
    void behavesLikeAByteArray() {
        SplittableRandom rnd = new SplittableRandom(4);
        DeviceMemory mem = new DeviceMemory(SIZE);
        byte[] model = new byte[SIZE];
        for (int i = 0; i < 3000; i++) {
            // addresses cluster around the page boundaries, where the word/page logic splits
            long addr = rnd.nextBoolean() ? rnd.nextInt(SIZE - 70_000)
                    : DeviceMemory.PAGE_BYTES * (1 + rnd.nextInt(2)) - rnd.nextInt(40);
            int len = rnd.nextInt(rnd.nextBoolean() ? 9 : 65_000);
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    mem.write(addr, data, 0, len);
                    System.arraycopy(data, 0, model, (int) addr, len);
                }
                case 1 -> {
                    byte[] got = new byte[len + 3];
                    mem.read(addr, got, 3, len);       // into the middle of an array
                    assertArrayEquals(Arrays.copyOfRange(model, (int) addr, (int) addr + len),
                            Arrays.copyOfRange(got, 3, len + 3), "read at " + addr + " len " + len);
                }
                case 2 -> {
                    int v = rnd.nextInt(256);
                    mem.writeU8(addr, v);
                    model[(int) addr] = (byte) v;
                    assertEquals(v, mem.readU8(addr));
                }
                case 3 -> {
                    long v = rnd.nextLong();
                    mem.writeLong(addr, v);
                    for (int b = 0; b < 8; b++) {
                        model[(int) addr + b] = (byte) (v >>> (8 * b));
                    }
                    assertEquals(v, mem.readLong(addr));
                    assertEquals((int) v, mem.readInt(addr));
                    assertEquals((int) v & 0xFFFF, mem.readU16(addr));
                }
                default -> {
                    long even = addr & ~1L;
                    int count = len / 2;
                    short[] got = new short[count];
                    mem.readShorts(even, got, 0, count);
                    for (int w = 0; w < count; w++) {
                        int lo = model[(int) even + 2 * w] & 0xFF;
                        int hi = model[(int) even + 2 * w + 1] & 0xFF;
                        assertEquals((short) (lo | hi << 8), got[w], "word " + w + " at " + even);
                    }
                }
            }
        }
        assertTrue(mem.contentEquals(DeviceMemory.PAGE_BYTES - 11, Arrays.copyOfRange(model,
                DeviceMemory.PAGE_BYTES - 11, DeviceMemory.PAGE_BYTES + 70_001)));
        int w0 = DeviceMemory.PAGE_BYTES - 40;                   // words across a page boundary
        short[] words = new short[100];
        for (int w = 0; w < words.length; w++) {
            words[w] = (short) ((model[w0 + 2 * w] & 0xFF) | (model[w0 + 2 * w + 1] & 0xFF) << 8);
        }
        assertTrue(mem.wordsEqual(w0, words));
        words[70] ^= 0x100;
        assertFalse(mem.wordsEqual(w0, words));
        assertFalse(mem.wordsEqual(w0 + 1, new short[1]));
        byte[] changed = Arrays.copyOfRange(model, 101, 5000);
        changed[4000] ^= 1;
        assertFalse(mem.contentEquals(101, changed));
    }

    @Test
    void byteBufferTransfersAdvancePositionsAndIgnoreTheBufferByteOrder() {
        DeviceMemory mem = new DeviceMemory(SIZE);
        ByteBuffer src = ByteBuffer.allocate(16).order(java.nio.ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 16; i++) {
            src.put((byte) (i + 1));
        }
        src.flip().position(1);
        mem.write(DeviceMemory.PAGE_BYTES - 5, src);            // odd address, straddles a page
        assertEquals(16, src.position());
        ByteBuffer dst = ByteBuffer.allocate(20);
        dst.position(2);
        mem.read(DeviceMemory.PAGE_BYTES - 5, dst.limit(17));
        assertEquals(17, dst.position());
        for (int i = 0; i < 15; i++) {
            assertEquals(i + 2, dst.get(2 + i));
        }
        assertEquals(0x0302, mem.readU16(DeviceMemory.PAGE_BYTES - 5));
    }

    @Test
    void unwrittenMemoryReadsZeroAndCostsNothing() {
        DeviceMemory mem = new DeviceMemory(1L << 32);
        assertEquals(0, mem.readLong(3L << 30));
        assertEquals(0, mem.residentBytes());
        mem.writeU8(5, 1);
        assertEquals(DeviceMemory.PAGE_BYTES, mem.residentBytes());
    }

    @Test
    void accessesOutsideTheMemoryFault() {
        DeviceMemory mem = new DeviceMemory(SIZE);
        assertThrows(DeviceMemory.AddressFault.class, () -> mem.readU8(SIZE));
        assertThrows(DeviceMemory.AddressFault.class, () -> mem.read(SIZE - 2, new byte[3], 0, 3));
        assertThrows(DeviceMemory.AddressFault.class, () -> mem.write(-1, new byte[1], 0, 1));
        assertThrows(DeviceMemory.AddressFault.class, () -> mem.readShorts(SIZE - 2, new short[2], 0, 2));
        assertThrows(IllegalArgumentException.class, () -> mem.readShorts(1, new short[1], 0, 1));
        assertFalse(mem.contentEquals(SIZE - 1, new byte[2]));
    }
}

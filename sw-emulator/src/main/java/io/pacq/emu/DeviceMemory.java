package io.pacq.emu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The emulated device memory: a flat byte-addressed space of {@link #size()} bytes, allocated
 * lazily in 1 MiB pages so that a multi-GiB device costs nothing until it is written. Pages never
 * written read as zeros. Multi-byte accessors are little-endian.
 *
 * <p>Pages are held as {@code short[]} of little-endian u16 words (byte 2i is the low byte of
 * word i): the device's weight words are u16, and the vector engine loads them straight from the
 * pages ({@link #wordsForRead}), which the Vector API does several times faster from
 * {@code short[]} than from {@code byte[]}. Byte accesses are merged into the words.
 *
 * <p>Thread-safety: page creation is synchronized; reads and writes of distinct 16-bit words may
 * run concurrently. Ordering between a writer and a reader of the same bytes is the caller's job
 * (the device model orders them through its register lock: DMA, doorbell, command, completion).
 */
public final class DeviceMemory {
    /** log2 of the page size. */
    public static final int PAGE_SHIFT = 20;
    /** Page size in bytes (1 MiB). */
    public static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_BYTES - 1;
    private static final short[] ZERO_PAGE = new short[PAGE_BYTES / 2];

    private final long size;
    private final short[][] pages;

    /** A memory of {@code size} bytes, a multiple of the page size. */
    public DeviceMemory(long size) {
        if (size <= 0 || (size & PAGE_MASK) != 0 || (size >>> PAGE_SHIFT) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device memory size must be a positive multiple of 1 MiB, got " + size);
        }
        this.size = size;
        this.pages = new short[(int) (size >>> PAGE_SHIFT)][];
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    /** Bytes of host memory backing the pages written so far. */
    public synchronized long residentBytes() {
        long n = 0;
        for (short[] p : pages) {
            if (p != null) {
                n += PAGE_BYTES;
            }
        }
        return n;
    }

    /** True when [address, address + length) lies inside the memory. */
    public boolean contains(long address, long length) {
        return address >= 0 && length >= 0 && address <= size && length <= size - address;
    }

    /**
     * The words of the page holding an address, for reading (never-written pages read as a
     * shared zero page). Byte {@code address} is in word {@link #wordIndex}; the caller must not
     * modify the array.
     */
    public short[] wordsForRead(long address) {
        short[] p = pages[(int) (address >>> PAGE_SHIFT)];
        return p != null ? p : ZERO_PAGE;
    }

    /**
     * The words of the page holding an address, created if needed, for writing in place (the
     * cycle-level model's stores). Byte {@code address} is in word {@link #wordIndex}.
     */
    public short[] wordsForWrite(long address) {
        int i = (int) (address >>> PAGE_SHIFT);
        short[] p = pages[i];
        if (p == null) {
            synchronized (this) {
                p = pages[i];
                if (p == null) {
                    p = new short[PAGE_BYTES / 2];
                    pages[i] = p;
                }
            }
        }
        return p;
    }

    /** Offset of an address inside its page, in bytes. */
    public static int pageOffset(long address) {
        return (int) (address & PAGE_MASK);
    }

    /** Index of the word holding an address inside its page's word array. */
    public static int wordIndex(long address) {
        return (int) (address & PAGE_MASK) >>> 1;
    }

    private void check(long address, long length) {
        if (!contains(address, length)) {
            throw new AddressFault(address, length, size);
        }
    }

    /** Copies {@code dst.remaining()} bytes from memory into dst, advancing its position. */
    public void read(long address, ByteBuffer dst) {
        int len = dst.remaining();
        check(address, len);
        if (len > 0 && (address & 1) != 0) {
            dst.put((byte) byteAt(address));
            address++;
            len--;
        }
        while (len >= 2) {
            int n = Math.min(len / 2, (PAGE_BYTES - pageOffset(address)) / 2);
            dst.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(wordsForRead(address), wordIndex(address), n);
            dst.position(dst.position() + 2 * n);
            address += 2L * n;
            len -= 2 * n;
        }
        if (len == 1) {
            dst.put((byte) byteAt(address));
        }
    }

    /** Copies {@code src.remaining()} bytes from src into memory, advancing its position. */
    public void write(long address, ByteBuffer src) {
        int len = src.remaining();
        check(address, len);
        if (len > 0 && (address & 1) != 0) {
            setByte(address, src.get());
            address++;
            len--;
        }
        while (len >= 2) {
            int n = Math.min(len / 2, (PAGE_BYTES - pageOffset(address)) / 2);
            src.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(wordsForWrite(address), wordIndex(address), n);
            src.position(src.position() + 2 * n);
            address += 2L * n;
            len -= 2 * n;
        }
        if (len == 1) {
            setByte(address, src.get());
        }
    }

    private int byteAt(long address) {
        int w = wordsForRead(address)[wordIndex(address)];
        return ((address & 1) == 0 ? w : w >>> 8) & 0xFF;
    }

    private void setByte(long address, int value) {
        short[] p = wordsForWrite(address);
        int i = wordIndex(address);
        p[i] = (address & 1) == 0 ? (short) ((p[i] & 0xFF00) | (value & 0xFF))
                : (short) ((p[i] & 0x00FF) | (value & 0xFF) << 8);
    }

    /** Copies bytes from memory into an array. */
    public void read(long address, byte[] dst, int off, int len) {
        read(address, ByteBuffer.wrap(dst, off, len));
    }

    /** Copies bytes from an array into memory. */
    public void write(long address, byte[] src, int off, int len) {
        write(address, ByteBuffer.wrap(src, off, len));
    }

    /** Copies {@code count} little-endian u16 values starting at an even address into dst. */
    public void readShorts(long address, short[] dst, int off, int count) {
        check(address, 2L * count);
        if ((address & 1) != 0) {
            throw new IllegalArgumentException("readShorts needs an even address, got 0x" + Long.toHexString(address));
        }
        while (count > 0) {
            int n = Math.min(count, (PAGE_BYTES - pageOffset(address)) / 2);
            System.arraycopy(wordsForRead(address), wordIndex(address), dst, off, n);
            address += 2L * n;
            off += n;
            count -= n;
        }
    }

    /**
     * True when the u16 words from an even address on equal expected (a vectorized comparison
     * against the pages, no copy).
     */
    public boolean wordsEqual(long address, short[] expected) {
        if ((address & 1) != 0 || !contains(address, 2L * expected.length)) {
            return false;
        }
        for (int done = 0; done < expected.length; ) {
            long a = address + 2L * done;
            int n = Math.min(expected.length - done, (PAGE_BYTES - pageOffset(a)) / 2);
            int wi = wordIndex(a);
            if (!java.util.Arrays.equals(wordsForRead(a), wi, wi + n, expected, done, done + n)) {
                return false;
            }
            done += n;
        }
        return true;
    }

    /** True when the bytes at [address, address + expected.length) equal expected. */
    public boolean contentEquals(long address, byte[] expected) {
        if (!contains(address, expected.length)) {
            return false;
        }
        byte[] buf = new byte[Math.min(expected.length, 64 * 1024)];
        for (int done = 0; done < expected.length; ) {
            int n = Math.min(buf.length, expected.length - done);
            read(address + done, buf, 0, n);
            if (!java.util.Arrays.equals(buf, 0, n, expected, done, done + n)) {
                return false;
            }
            done += n;
        }
        return true;
    }

    /** Reads an unsigned byte. */
    public int readU8(long address) {
        check(address, 1);
        return byteAt(address);
    }

    /** Reads a little-endian u16. */
    public int readU16(long address) {
        return readU8(address) | readU8(address + 1) << 8;
    }

    /** Reads a little-endian 32-bit value. */
    public int readInt(long address) {
        return readU16(address) | readU16(address + 2) << 16;
    }

    /** Reads a little-endian 64-bit value. */
    public long readLong(long address) {
        return (readInt(address) & 0xFFFFFFFFL) | (long) readInt(address + 4) << 32;
    }

    /** Writes a byte. */
    public void writeU8(long address, int value) {
        check(address, 1);
        setByte(address, value);
    }

    /** Writes a little-endian 32-bit value. */
    public void writeInt(long address, int value) {
        for (int i = 0; i < 4; i++) {
            writeU8(address + i, value >>> (8 * i));
        }
    }

    /** Writes a little-endian 64-bit value. */
    public void writeLong(long address, long value) {
        writeInt(address, (int) value);
        writeInt(address + 4, (int) (value >>> 32));
    }

    /** An access outside device memory. */
    public static final class AddressFault extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long address;

        public AddressFault(long address, long length, long size) {
            super("access to [0x" + Long.toHexString(address) + ", +" + length + ") is outside device memory of "
                    + size + " bytes");
            this.address = address;
        }

        /** The first faulting address. */
        public long address() {
            return address;
        }
    }
}

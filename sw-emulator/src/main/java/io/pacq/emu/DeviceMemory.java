package io.pacq.emu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The emulated device memory: a flat byte-addressed space of {@link #size()} bytes, allocated
 * lazily in 1 MiB pages so that a multi-GiB device costs nothing until it is written. Pages never
 * written read as zeros. Multi-byte accessors are little-endian.
 *
 * <p>Thread-safety: page creation is synchronized; reads and writes of distinct bytes may run
 * concurrently. Ordering between a writer and a reader of the same bytes is the caller's job
 * (the device model orders them through its register lock: DMA, doorbell, command, completion).
 */
public final class DeviceMemory {
    /** log2 of the page size. */
    public static final int PAGE_SHIFT = 20;
    /** Page size in bytes (1 MiB). */
    public static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_BYTES - 1;
    private static final byte[] ZERO_PAGE = new byte[PAGE_BYTES];

    private final long size;
    private final byte[][] pages;

    /** A memory of {@code size} bytes, a multiple of the page size. */
    public DeviceMemory(long size) {
        if (size <= 0 || (size & PAGE_MASK) != 0 || (size >>> PAGE_SHIFT) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device memory size must be a positive multiple of 1 MiB, got " + size);
        }
        this.size = size;
        this.pages = new byte[(int) (size >>> PAGE_SHIFT)][];
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    /** Bytes of host memory backing the pages written so far. */
    public synchronized long residentBytes() {
        long n = 0;
        for (byte[] p : pages) {
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

    /** The page holding an address, for reading; never-written pages read as zeros (shared). */
    public byte[] pageForRead(long address) {
        byte[] p = pages[(int) (address >>> PAGE_SHIFT)];
        return p != null ? p : ZERO_PAGE;
    }

    /** The page holding an address, created if needed. */
    public byte[] pageForWrite(long address) {
        int i = (int) (address >>> PAGE_SHIFT);
        byte[] p = pages[i];
        if (p == null) {
            synchronized (this) {
                p = pages[i];
                if (p == null) {
                    p = new byte[PAGE_BYTES];
                    pages[i] = p;
                }
            }
        }
        return p;
    }

    /** Offset of an address inside its page. */
    public static int pageOffset(long address) {
        return (int) (address & PAGE_MASK);
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
        while (len > 0) {
            int off = pageOffset(address);
            int n = Math.min(len, PAGE_BYTES - off);
            dst.put(pageForRead(address), off, n);
            address += n;
            len -= n;
        }
    }

    /** Copies {@code src.remaining()} bytes from src into memory, advancing its position. */
    public void write(long address, ByteBuffer src) {
        int len = src.remaining();
        check(address, len);
        while (len > 0) {
            int off = pageOffset(address);
            int n = Math.min(len, PAGE_BYTES - off);
            src.get(pageForWrite(address), off, n);
            address += n;
            len -= n;
        }
    }

    /** Copies bytes from memory into an array. */
    public void read(long address, byte[] dst, int off, int len) {
        read(address, ByteBuffer.wrap(dst, off, len));
    }

    /** Copies bytes from an array into memory. */
    public void write(long address, byte[] src, int off, int len) {
        write(address, ByteBuffer.wrap(src, off, len));
    }

    /**
     * Copies {@code count} little-endian u16 values starting at an even address into dst: a bulk
     * copy (the engines' way to get weight words into {@code short[]}, which vector loads read
     * much faster than {@code byte[]}).
     */
    public void readShorts(long address, short[] dst, int off, int count) {
        check(address, 2L * count);
        if ((address & 1) != 0) {
            throw new IllegalArgumentException("readShorts needs an even address, got 0x" + Long.toHexString(address));
        }
        while (count > 0) {
            int po = pageOffset(address);
            int n = Math.min(count, (PAGE_BYTES - po) / 2);
            ByteBuffer.wrap(pageForRead(address)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(po / 2, dst, off, n);
            address += 2L * n;
            off += n;
            count -= n;
        }
    }

    /** True when the bytes at [address, address + expected.length) equal expected. */
    public boolean contentEquals(long address, byte[] expected) {
        if (!contains(address, expected.length)) {
            return false;
        }
        int done = 0;
        while (done < expected.length) {
            int off = pageOffset(address + done);
            int n = Math.min(expected.length - done, PAGE_BYTES - off);
            if (!java.util.Arrays.equals(pageForRead(address + done), off, off + n, expected, done, done + n)) {
                return false;
            }
            done += n;
        }
        return true;
    }

    /** Reads an unsigned byte. */
    public int readU8(long address) {
        check(address, 1);
        return pageForRead(address)[pageOffset(address)] & 0xFF;
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
        pageForWrite(address)[pageOffset(address)] = (byte) value;
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

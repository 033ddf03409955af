package io.pacq.xdma;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.pacq.abi.Abi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The PacQ register window behind {@code xdmaN_user} (the user BAR): 32-bit registers at byte
 * offsets {@code [0, Abi.REG_WINDOW_BYTES)}. Two implementations:
 * <ul>
 * <li>{@link Mapped}: the window mapped with {@code mmap} (the driver's {@code bridge_mmap} maps the
 *     BAR uncached with {@code pgprot_noncached}); each access is one aligned 32-bit volatile load
 *     or store through a {@link VarHandle}, so it is never split, merged, elided or moved across
 *     another memory access, and a store is followed by a full fence. A DMA call returns only once
 *     the transfer is complete, so data and descriptors written before a doorbell store are in card
 *     memory when the device sees the doorbell.</li>
 * <li>{@link Pread}: one 4-byte {@code pread}/{@code pwrite} per access at the register offset (the
 *     driver's {@code char_ctrl_read}/{@code char_ctrl_write} do one {@code ioread32}/
 *     {@code iowrite32}); a system call per access, for kernels or setups that forbid mapping.</li>
 * </ul>
 * Thread-safe: concurrent accesses are allowed; {@link #close()} must not race with them (the
 * owning link guarantees it).
 */
abstract sealed class RegisterWindow implements AutoCloseable permits RegisterWindow.Mapped, RegisterWindow.Pread {
    final NativeFile file;

    RegisterWindow(NativeFile file) {
        this.file = file;
    }

    /** Reads the register at a byte offset. */
    abstract int read(int offset);

    /** Writes the register at a byte offset. */
    abstract void write(int offset, int value);

    /** "mmap" or "pread/pwrite", for descriptions. */
    abstract String kind();

    /** Releases the mapping (not the file). */
    @Override
    public abstract void close();

    static void checkOffset(int offset) {
        if (offset < 0 || offset > Abi.REG_WINDOW_BYTES - 4 || (offset & 3) != 0) {
            throw new IllegalArgumentException("register offset 0x" + Integer.toHexString(offset)
                    + " is not a 4-byte aligned offset inside the " + Abi.REG_WINDOW_BYTES + "-byte register window");
        }
    }

    /** The window mapped into this process. */
    static final class Mapped extends RegisterWindow {
        /** PCIe registers are little-endian whatever the host's byte order. */
        private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private final Pointer base;
        private final ByteBuffer window;
        private boolean unmapped;

        /** Maps the window of an open user node, read-write or read-only. */
        Mapped(NativeFile file, boolean writable) {
            super(file);
            this.base = file.mmap(Abi.REG_WINDOW_BYTES, writable ? LibC.PROT_READ | LibC.PROT_WRITE : LibC.PROT_READ);
            this.window = base.getByteBuffer(0, Abi.REG_WINDOW_BYTES);
        }

        @Override
        int read(int offset) {
            checkOffset(offset);
            return (int) INT.getVolatile(window, offset);
        }

        @Override
        void write(int offset, int value) {
            checkOffset(offset);
            INT.setVolatile(window, offset, value);
        }

        @Override
        String kind() {
            return "mmap";
        }

        @Override
        public void close() {
            if (!unmapped) {
                unmapped = true;
                LibC.munmap(base, Abi.REG_WINDOW_BYTES);
            }
        }
    }

    /** One positional system call per access. */
    static final class Pread extends RegisterWindow {
        /** A 4-byte native buffer per thread: the link reads registers from two threads. */
        private final ThreadLocal<Memory> word = ThreadLocal.withInitial(() -> new Memory(4));

        Pread(NativeFile file) {
            super(file);
        }

        @Override
        int read(int offset) {
            checkOffset(offset);
            Memory m = word.get();
            file.preadFully(m, 4, offset, "register 0x" + Integer.toHexString(offset));
            return m.getInt(0); // the driver copies the ioread32 value: host byte order
        }

        @Override
        void write(int offset, int value) {
            checkOffset(offset);
            Memory m = word.get();
            m.setInt(0, value);
            file.pwriteFully(m, 4, offset, "register 0x" + Integer.toHexString(offset));
        }

        @Override
        String kind() {
            return "pread/pwrite";
        }

        @Override
        public void close() {
            // nothing mapped
        }
    }
}

package io.pacq.link;

import java.nio.ByteBuffer;

/**
 * The hardware abstraction: the six things the driver logic needs from a device, whatever
 * carries them (the in-process emulator, the Verilated RTL, PCIe through XDMA).
 *
 * <p>Registers are the 32-bit control registers of the ABI ({@code io.pacq.abi.Abi.Reg}) at byte
 * offsets; device memory is byte-addressed from 0. Multi-byte values in device memory are
 * little-endian.
 *
 * <p>Threading: the driver calls {@link #readReg}, {@link #writeReg}, {@link #writeMem} and
 * {@link #readMem} from one thread at a time; {@link #awaitInterrupt} is called from one other
 * thread and may run concurrently with them. Failures are {@link io.pacq.LinkException}s.
 */
public interface Link extends AutoCloseable {

    /** Reads the 32-bit register at a byte offset. */
    int readReg(int offset);

    /** Writes the 32-bit register at a byte offset. Visible to the device before this returns. */
    void writeReg(int offset, int value);

    /**
     * Copies {@code src.remaining()} bytes to device memory at {@code address} (host to card DMA)
     * and advances the buffer's position. Complete before this returns.
     */
    void writeMem(long address, ByteBuffer src);

    /**
     * Fills {@code dst.remaining()} bytes from device memory at {@code address} (card to host DMA)
     * and advances the buffer's position.
     */
    void readMem(long address, ByteBuffer dst);

    /**
     * Waits until the device raises its interrupt, or the timeout passes. Interrupts raised since
     * the previous call are not lost (the call returns at once). Spurious returns are allowed:
     * the driver always reads the device state after waking.
     *
     * @param timeoutNanos how long to wait at most; 0 polls
     * @return true when an interrupt was seen, false on timeout
     */
    boolean awaitInterrupt(long timeoutNanos) throws InterruptedException;

    /** One line naming what is behind this link, e.g. "emulator (functional)" or "/dev/xdma0". */
    String describe();

    /**
     * What a user should do when the device does not come back from a soft reset, in words that
     * fit this transport (a board: which PCIe function to reset and how). The driver logic puts
     * it in the error that declares the device unusable.
     */
    default String recoveryAdvice() {
        return "reset the device (for a board: reset its PCIe function or reload the bitstream) and try again";
    }

    /** Releases the transport. Idempotent. */
    @Override
    void close();
}

package io.pacq.rtlsim;

import io.pacq.abi.Abi;
import io.pacq.link.Link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Drives one device through a {@link Link} at the register level, one command at a time: writes
 * a descriptor into a one-slot ring, rings the doorbell, waits for CPL_COUNT and returns the
 * completion record. Used to run LAUNCH commands (which the Device API does not expose) on the
 * RTL and on the cycle-level emulator alike. Not thread-safe.
 */
final class RingSide implements AutoCloseable {
    static final long RING = 0x1000;
    static final long CPL = 0x2000;
    private final Link link;
    private final String name;
    private int count;

    RingSide(Link link, String name) {
        this.link = link;
        this.name = name;
        reset();
    }

    /** Soft reset (aborts a running command) and programs the one-slot ring. */
    private void reset() {
        count = 0;
        link.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.SOFT_RESET);
        // A deadline, not a number of reads: the emulator resets on its own thread, which a busy
        // machine may not run for a while.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((link.readReg(Abi.Reg.CTRL) & Abi.CtrlBits.SOFT_RESET) != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": soft reset did not finish within 30 s");
            }
            Thread.onSpinWait();
        }
        link.writeReg(Abi.Reg.RING_BASE_LO, (int) RING);
        link.writeReg(Abi.Reg.RING_BASE_HI, 0);
        link.writeReg(Abi.Reg.RING_ENTRIES, 1);
        link.writeReg(Abi.Reg.CPL_BASE_LO, (int) CPL);
        link.writeReg(Abi.Reg.CPL_BASE_HI, 0);
        link.writeReg(Abi.Reg.IRQ_STATUS, -1);
        link.writeReg(Abi.Reg.CTRL, Abi.CtrlBits.ENABLE | Abi.CtrlBits.IRQ_EN);
    }

    String name() {
        return name;
    }

    Link link() {
        return link;
    }

    void write(long address, byte[] data) {
        link.writeMem(address, ByteBuffer.wrap(data));
    }

    byte[] read(long address, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        link.readMem(address, b);
        return b.array();
    }

    /** Runs one command; returns its completion record (little-endian). */
    ByteBuffer run(ByteBuffer descriptor, long timeoutMillis) {
        descriptor.put(Abi.Desc.FLAGS, (byte) (descriptor.get(Abi.Desc.FLAGS) | Abi.DescFlags.IRQ));
        link.writeMem(RING, descriptor.duplicate().clear());
        count++;
        link.writeReg(Abi.Reg.SQ_TAIL, count);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (link.readReg(Abi.Reg.CPL_COUNT) != count) {
                if (System.nanoTime() > end) {
                    reset();   // abort it, so the next command does not queue behind it
                    throw new AssertionError(name + ": command did not complete within " + timeoutMillis + " ms");
                }
                link.awaitInterrupt(TimeUnit.MILLISECONDS.toNanos(20));
                link.writeReg(Abi.Reg.IRQ_STATUS, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        ByteBuffer rec = ByteBuffer.allocate(Abi.Cpl.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        link.readMem(CPL, rec);
        return rec.flip();
    }

    /** A LAUNCH descriptor: a program already in device memory at progAddr. */
    static ByteBuffer launch(int seq, long progAddr, int words, int entry, int tilesX, int tilesY, long maxCycles,
                             int... args) {
        ByteBuffer d = ByteBuffer.allocate(Abi.Desc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        d.put(Abi.Desc.OPCODE, (byte) Abi.Opcode.LAUNCH);
        d.putInt(Abi.Desc.SEQ, seq);
        d.putInt(Abi.Desc.LAUNCH_TILES_X, tilesX);
        d.putInt(Abi.Desc.LAUNCH_TILES_Y, tilesY);
        d.putInt(Abi.Desc.LAUNCH_PROG_WORDS, words);
        d.putInt(Abi.Desc.LAUNCH_ENTRY, entry);
        d.putInt(Abi.Desc.LAUNCH_MAX_CYCLES, (int) maxCycles);
        d.putLong(Abi.Desc.LAUNCH_PROG_ADDR, progAddr);
        for (int i = 0; i < args.length; i++) {
            d.putInt(Abi.Desc.LAUNCH_ARGS + 4 * i, args[i]);
        }
        return d;
    }

    /** The program's words as little-endian bytes. */
    static byte[] bytes(long[] words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
    }

    /** The record's fields by name, for messages that report differences as numbers. */
    static String describe(ByteBuffer rec) {
        return "status " + rec.getInt(Abi.Cpl.STATUS) + ", err_info 0x" + Long.toHexString(rec.getLong(Abi.Cpl.ERR_INFO))
                + ", cycles " + rec.getLong(Abi.Cpl.CYCLES) + ", instructions " + rec.getLong(Abi.Cpl.INSTRUCTIONS);
    }

    @Override
    public void close() {
        link.close();
    }
}

package io.pacq.rtlsim;

import com.sun.jna.Pointer;
import io.pacq.LinkException;
import io.pacq.link.Link;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Link} to one Verilated PacQ device in this process.
 *
 * <p>Simulated time advances only inside native calls: a register access runs the clock until its
 * AXI4-Lite transaction completes, and {@link #awaitInterrupt} runs the device in slices of
 * {@link #SLICE_CYCLES} cycles (one native call each, never one per clock) until the interrupt
 * line is high or the timeout passes. When the device has nothing to do the waiting thread sleeps
 * until a register write wakes it, so an idle device costs no CPU. Device-memory transfers use the
 * harness's backdoor and cost no simulated cycles.
 *
 * <p>Thread-safe: one fair lock serialises every native call on the handle (the C handle is not
 * thread-safe); {@link #awaitInterrupt} releases it between slices, and fairness hands it to a
 * waiting register access, which is therefore delayed by at most one slice.
 */
final class RtlSimLink implements Link {
    /** Cycles per native call while waiting for the interrupt (a few ms of simulation). */
    static final long SLICE_CYCLES = Long.getLong("pacq.rtlsim.slice", 8192);
    /** Bytes copied per backdoor call. */
    private static final int CHUNK = 1 << 20;

    private final RtlSimLibrary lib;
    private final String description;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition work = lock.newCondition(); // signalled by register writes
    private final byte[] chunk = new byte[CHUNK];
    private final int[] value = new int[1];
    private Pointer sim; // guarded by lock; null once closed

    RtlSimLink(RtlSimLibrary lib, Pointer sim, String description) {
        this.lib = lib;
        this.sim = sim;
        this.description = description;
    }

    private Pointer handle() { // under lock
        if (sim == null) {
            throw new LinkException("rtlsim link is closed");
        }
        return sim;
    }

    private LinkException failure(String what) { // under lock
        return new LinkException("rtlsim: " + what + ": " + lib.pacq_sim_error(sim));
    }

    @Override
    public int readReg(int offset) {
        lock.lock();
        try {
            if (lib.pacq_sim_reg_read(handle(), offset, value) != 0) {
                throw failure("register read at 0x" + Integer.toHexString(offset));
            }
            return value[0];
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeReg(int offset, int v) {
        lock.lock();
        try {
            if (lib.pacq_sim_reg_write(handle(), offset, v) != 0) {
                throw failure("register write at 0x" + Integer.toHexString(offset));
            }
            work.signalAll(); // a sleeping awaitInterrupt: the device may have work now
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeMem(long address, ByteBuffer src) {
        lock.lock();
        try {
            Pointer h = handle();
            long a = address;
            while (src.hasRemaining()) {
                int n = Math.min(CHUNK, src.remaining());
                src.get(chunk, 0, n);
                if (lib.pacq_sim_mem_write(h, a, chunk, n) != 0) {
                    throw failure("host-to-card transfer");
                }
                a += n;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void readMem(long address, ByteBuffer dst) {
        lock.lock();
        try {
            Pointer h = handle();
            long a = address;
            while (dst.hasRemaining()) {
                int n = Math.min(CHUNK, dst.remaining());
                if (lib.pacq_sim_mem_read(h, a, chunk, n) != 0) {
                    throw failure("card-to-host transfer");
                }
                dst.put(chunk, 0, n);
                a += n;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitInterrupt(long timeoutNanos) throws InterruptedException {
        long end = System.nanoTime() + timeoutNanos;
        while (true) {
            lock.lockInterruptibly();
            try {
                Pointer h = handle();
                long ran = lib.pacq_sim_run(h, SLICE_CYCLES, RtlSimLibrary.STOP_IRQ | RtlSimLibrary.STOP_IDLE);
                if (lib.pacq_sim_check(h) != 0) {
                    throw failure("simulation checks");
                }
                if (lib.pacq_sim_irq(h) != 0) {
                    return true;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (ran < SLICE_CYCLES) {
                    // Idle: nothing happens until the host writes a register (or closes).
                    work.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Clock cycles simulated since the device was created. */
    long cycles() {
        lock.lock();
        try {
            return lib.pacq_sim_cycles(handle());
        } finally {
            lock.unlock();
        }
    }

    /** Starts an FST waveform at path, or stops it (null). */
    void trace(String path) {
        lock.lock();
        try {
            if (lib.pacq_sim_trace(handle(), path) != 0) {
                throw failure("waveform");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (sim != null) {
                lib.pacq_sim_destroy(sim);
                sim = null;
            }
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

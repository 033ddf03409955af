package io.pacq.xdma;

import com.sun.jna.Memory;
import io.pacq.abi.Abi;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How the link learns that the device raised its interrupt. Called from one thread at a time.
 * <ul>
 * <li>{@link Events}: the XDMA user-interrupt node {@code xdmaN_events_I}. {@code poll} reports it
 *     readable once the interrupt fired ({@code char_events_poll}: POLLIN while
 *     {@code events_irq} is set); a 4-byte {@code read} then returns the event word and clears it
 *     ({@code char_events_read}, which insists on count 4). Reading only after POLLIN means the
 *     read never blocks.</li>
 * <li>{@link Polled}: no interrupt at all; the status registers are polled with a short backoff
 *     and an "interrupt" is a new completion (CPL_COUNT moved) or a newly set IRQ_STATUS bit.</li>
 * </ul>
 */
abstract sealed class InterruptSource implements AutoCloseable permits InterruptSource.Events, InterruptSource.Polled {

    /**
     * Waits at most {@code nanos} (0 polls) for the interrupt; true when it was seen. Checks the
     * thread's interrupt flag at least every {@link #SLICE_MILLIS}.
     */
    abstract boolean await(long nanos) throws InterruptedException;

    /** One line for descriptions. */
    abstract String describe();

    @Override
    public abstract void close();

    /** Longest single blocking call, so that a Java interrupt or a close is noticed soon. */
    static final int SLICE_MILLIS = 20;

    /** Interrupts through the events node. */
    static final class Events extends InterruptSource {
        private final NativeFile file;
        private final Memory pollfd = new Memory(LibC.POLLFD_BYTES);
        private final Memory word = new Memory(4);

        /** Takes ownership of an events node opened read-only and non-blocking. */
        Events(NativeFile file) {
            this.file = file;
        }

        @Override
        boolean await(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long left = deadline - System.nanoTime();
                int millis = left <= 0 ? 0 : (int) Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
                int revents = file.pollIn(pollfd, millis);
                if ((revents & LibC.POLLIN) != 0) {
                    if (consume()) {
                        return true;
                    }
                } else if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
                    throw new XdmaException(0, file.path, "poll " + file.path + " reported "
                            + ((revents & LibC.POLLNVAL) != 0 ? "an invalid descriptor"
                            : (revents & LibC.POLLHUP) != 0 ? "a hang-up" : "an error")
                            + " (revents 0x" + Integer.toHexString(revents) + "); the interrupt source is gone: "
                            + "check `dmesg | grep -i xdma`");
                }
                if (millis == 0 || deadline - System.nanoTime() <= 0) {
                    return false;
                }
            }
        }

        /** Reads the pending event word(s); true when at least one was there. */
        private boolean consume() {
            boolean got = false;
            while (true) {
                long n = file.read(word, 4);
                if (n == 4) {
                    got = true;
                } else if (n == 0) {
                    throw new XdmaException(0, file.path, "read " + file.path + ": end of file; the interrupt "
                            + "source is gone (a FIFO whose writer closed, or a node that is not an XDMA events node)");
                } else if (n > 0) {
                    throw new XdmaException(Errno.EPROTO, file.path, "read " + file.path + " returned " + n
                            + " bytes, expected the 4-byte event word");
                } else {
                    return got; // would block (or a signal): nothing more pending
                }
                // coalesce every event already pending into this one return
                if ((file.pollIn(pollfd, 0) & LibC.POLLIN) == 0) {
                    return true;
                }
            }
        }

        @Override
        String describe() {
            return "interrupts from " + file.path;
        }

        @Override
        public void close() {
            file.close();
        }
    }

    /** Status-register polling, when no events node is usable. */
    static final class Polled extends InterruptSource {
        private static final long MIN_SLEEP_NANOS = 20_000;
        private static final long MAX_SLEEP_NANOS = 1_000_000;
        private final RegisterWindow regs;
        private final String why;
        private int lastCount;
        private int lastIrq;

        Polled(RegisterWindow regs, String why) {
            this.regs = regs;
            this.why = why;
            this.lastCount = regs.read(Abi.Reg.CPL_COUNT);
            this.lastIrq = regs.read(Abi.Reg.IRQ_STATUS);
        }

        @Override
        boolean await(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            long sleep = MIN_SLEEP_NANOS;
            while (true) {
                int count = regs.read(Abi.Reg.CPL_COUNT);
                int irq = regs.read(Abi.Reg.IRQ_STATUS);
                boolean fired = count != lastCount || (irq & ~lastIrq) != 0;
                lastCount = count;
                lastIrq = irq;
                if (fired) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(sleep, left));
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                sleep = Math.min(MAX_SLEEP_NANOS, sleep * 2);
            }
        }

        @Override
        String describe() {
            return "status-register polling (" + why + ")";
        }

        @Override
        public void close() {
            // the registers belong to the link
        }
    }
}

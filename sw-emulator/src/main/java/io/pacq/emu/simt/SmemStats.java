package io.pacq.emu.simt;

import io.pacq.abi.Abi;

import java.util.Arrays;

/**
 * Shared-memory bank statistics of the cycle model: how many shared-memory instructions (loads
 * and stores separately) took P passes of the banked shared memory (docs/simt.md 4): the memory
 * is {@link #BANKS} banks of {@link #BANK_BYTES} bytes, byte address a lies in bank (a / 16) mod
 * 32 and row a / 512, active lanes that touch the same (bank, row) share one access, and P is the
 * largest number of distinct rows the active lanes touch in one bank (1 when no lane is active).
 * P sets the instruction's timing (docs/simt.md 6.2): a P-way instruction replays for P - 1
 * cycles, its extra passes, in which the core issues nothing. These are statistics of the model,
 * not completion-record counters (the replay cycles are counted in {@code STALL_MEM}).
 *
 * <p>Immutable; {@link Machine} keeps its own arrays and hands out snapshots.
 */
public final class SmemStats {
    /** Banks of shared memory. */
    public static final int BANKS = Abi.SMEM_BANKS;
    /** Bytes per bank and row. */
    public static final int BANK_BYTES = Abi.SMEM_BANK_BYTES;
    /** No shared-memory instruction. */
    public static final SmemStats NONE = new SmemStats(new long[BANKS + 1], new long[BANKS + 1]);

    private final long[] loads;
    private final long[] stores;

    /** From histograms indexed by P (1 .. 32; index 0 unused); the arrays are copied. */
    SmemStats(long[] loads, long[] stores) {
        this.loads = Arrays.copyOf(loads, BANKS + 1);
        this.stores = Arrays.copyOf(stores, BANKS + 1);
    }

    /** Shared-memory loads that needed exactly {@code passes} passes (1 .. 32). */
    public long loads(int passes) {
        return loads[passes];
    }

    /** Shared-memory stores that needed exactly {@code passes} passes (1 .. 32). */
    public long stores(int passes) {
        return stores[passes];
    }

    /** Shared-memory loads. */
    public long loads() {
        return sum(loads, 1);
    }

    /** Shared-memory stores. */
    public long stores() {
        return sum(stores, 1);
    }

    /** Shared-memory instructions (loads and stores) that needed more than one pass. */
    public long multiPass() {
        return sum(loads, 2) + sum(stores, 2);
    }

    /** Passes beyond the first, summed over every shared-memory instruction. */
    public long extraPasses() {
        long n = 0;
        for (int p = 2; p <= BANKS; p++) {
            n += (p - 1) * (loads[p] + stores[p]);
        }
        return n;
    }

    /** Field-wise sum. */
    public SmemStats plus(SmemStats o) {
        long[] l = new long[BANKS + 1];
        long[] s = new long[BANKS + 1];
        for (int p = 0; p <= BANKS; p++) {
            l[p] = loads[p] + o.loads[p];
            s[p] = stores[p] + o.stores[p];
        }
        return new SmemStats(l, s);
    }

    private static long sum(long[] h, int from) {
        long n = 0;
        for (int p = from; p <= BANKS; p++) {
            n += h[p];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmemStats s && Arrays.equals(loads, s.loads) && Arrays.equals(stores, s.stores);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(loads) + Arrays.hashCode(stores);
    }

    /** For example {@code loads 1200 (16-way 64), stores 300 (4-way 12); 1020 extra passes}. */
    @Override
    public String toString() {
        return "loads " + loads() + histogram(loads) + ", stores " + stores() + histogram(stores) + "; "
                + extraPasses() + " extra passes";
    }

    private static String histogram(long[] h) {
        StringBuilder b = new StringBuilder();
        for (int p = BANKS; p >= 2; p--) {
            if (h[p] != 0) {
                b.append(b.isEmpty() ? " (" : ", ").append(p).append("-way ").append(h[p]);
            }
        }
        return b.isEmpty() ? "" : b.append(')').toString();
    }
}

package io.pacq.emu;

import io.pacq.CommandStats;
import io.pacq.GemmMode;

/**
 * The completion-record counters of the functional engines: the arithmetic and memory traffic
 * the numerics contract implies, independent of how the host computes it (no cycles, no
 * register-file or shared-memory traffic: those belong to the cycle-level model).
 *
 * <ul>
 *   <li>device-memory reads: A, the weight array of the mode, scales and zeros, once each;
 *       writes: C once</li>
 *   <li>PACQ, KPACKED: M*N*K products A*d plus M*N*K/g scale multiplies; as many additions</li>
 *   <li>DEQUANT: K*N dequantizing multiplies d*s plus M*N*K products; M*N*K additions</li>
 * </ul>
 */
public final class FunctionalCounters {
    private FunctionalCounters() {}

    /** Counters of one command. */
    public static CommandStats of(GemmCommand c) {
        long mnk = (long) c.m() * c.n() * c.k();
        long groups = (long) c.m() * c.n() * (c.k() / c.groupSize());
        long read = c.aBytes() + c.wBytes() + c.groupEntries() * 2 + (c.symmetric() ? 0 : c.groupEntries());
        long mul;
        long add;
        if (c.mode() == GemmMode.DEQUANT) {
            mul = (long) c.k() * c.n() + mnk;
            add = mnk;
        } else {
            mul = mnk + groups;
            add = mnk + groups;
        }
        return new CommandStats(0, 0, 0, 0, 0, read, c.cBytes(), mul, add, 0, 0, 0, 0);
    }
}

package io.pacq;

/**
 * What the device reported for one command in its completion record (ABI {@code Cpl}): cycles,
 * instructions and activity counters. Counters the device does not model are 0 (the functional
 * emulator reports no cycles). Units are in each component's name.
 */
public record CommandStats(
        long cycles,
        long instructions,
        long rfReads,
        long rfWrites,
        long smemBytes,
        long dmemReadBytes,
        long dmemWriteBytes,
        long mulOps,
        long addOps,
        long stallMem,
        long stallDep,
        long stallUnit,
        long stallBarrier) {

    /** All zero. */
    public static final CommandStats NONE = new CommandStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Field-wise sum, for aggregating shards or runs. */
    public CommandStats plus(CommandStats o) {
        return new CommandStats(cycles + o.cycles, instructions + o.instructions, rfReads + o.rfReads,
                rfWrites + o.rfWrites, smemBytes + o.smemBytes, dmemReadBytes + o.dmemReadBytes,
                dmemWriteBytes + o.dmemWriteBytes, mulOps + o.mulOps, addOps + o.addOps, stallMem + o.stallMem,
                stallDep + o.stallDep, stallUnit + o.stallUnit, stallBarrier + o.stallBarrier);
    }
}

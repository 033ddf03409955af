package io.pacq.rtlsim;

import io.pacq.CommandStats;
import io.pacq.abi.Abi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Field-by-field comparison of completion records and command statistics, as numbers. */
final class Records {
    private Records() {}

    private static final String[] NAMES = {"CYCLES", "INSTRUCTIONS", "RF_READS", "RF_WRITES", "SMEM_BYTES",
        "DMEM_READ_BYTES", "DMEM_WRITE_BYTES", "MUL_OPS", "ADD_OPS", "STALL_MEM", "STALL_DEP", "STALL_UNIT",
        "STALL_BARRIER"};

    /** Differences of two records (expected first): SEQ, STATUS, the 13 counters, ERR_INFO. */
    static List<String> diff(ByteBuffer expected, ByteBuffer actual) {
        List<String> d = new ArrayList<>();
        if (expected.getInt(Abi.Cpl.SEQ) != actual.getInt(Abi.Cpl.SEQ)) {
            d.add("SEQ: emu " + expected.getInt(Abi.Cpl.SEQ) + ", rtl " + actual.getInt(Abi.Cpl.SEQ));
        }
        if (expected.getInt(Abi.Cpl.STATUS) != actual.getInt(Abi.Cpl.STATUS)) {
            d.add("STATUS: emu " + expected.getInt(Abi.Cpl.STATUS) + ", rtl " + actual.getInt(Abi.Cpl.STATUS));
        }
        for (int i = 0; i < NAMES.length; i++) {
            long e = expected.getLong(Abi.Cpl.CYCLES + 8 * i);
            long a = actual.getLong(Abi.Cpl.CYCLES + 8 * i);
            if (e != a) {
                d.add(String.format("%s: emu %d, rtl %d (%+d)", NAMES[i], e, a, a - e));
            }
        }
        if (expected.getLong(Abi.Cpl.ERR_INFO) != actual.getLong(Abi.Cpl.ERR_INFO)) {
            d.add("ERR_INFO: emu 0x" + Long.toHexString(expected.getLong(Abi.Cpl.ERR_INFO)) + ", rtl 0x"
                    + Long.toHexString(actual.getLong(Abi.Cpl.ERR_INFO)));
        }
        return d;
    }

    /** Differences of two command statistics (expected first). */
    static List<String> diff(CommandStats e, CommandStats a) {
        long[] x = values(e);
        long[] y = values(a);
        List<String> d = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (x[i] != y[i]) {
                d.add(String.format("%s: emu %d, rtl %d (%+d)", NAMES[i], x[i], y[i], y[i] - x[i]));
            }
        }
        return d;
    }

    private static long[] values(CommandStats s) {
        return new long[] {s.cycles(), s.instructions(), s.rfReads(), s.rfWrites(), s.smemBytes(), s.dmemReadBytes(),
            s.dmemWriteBytes(), s.mulOps(), s.addOps(), s.stallMem(), s.stallDep(), s.stallUnit(), s.stallBarrier()};
    }
}

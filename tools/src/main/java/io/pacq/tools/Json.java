package io.pacq.tools;

import io.pacq.CommandStats;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Writes the small JSON objects the CLI prints (maps of strings, numbers, booleans, maps). */
final class Json {
    private Json() {}

    /** The completion record's counters of one command, named as the ABI names them, in its order. */
    static Map<String, Object> counters(CommandStats s) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cycles", s.cycles());
        c.put("instructions", s.instructions());
        c.put("rf_reads", s.rfReads());
        c.put("rf_writes", s.rfWrites());
        c.put("smem_bytes", s.smemBytes());
        c.put("dmem_read_bytes", s.dmemReadBytes());
        c.put("dmem_write_bytes", s.dmemWriteBytes());
        c.put("mul_ops", s.mulOps());
        c.put("add_ops", s.addOps());
        c.put("stall_mem", s.stallMem());
        c.put("stall_dep", s.stallDep());
        c.put("stall_unit", s.stallUnit());
        c.put("stall_barrier", s.stallBarrier());
        return c;
    }

    static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int indent) {
        if (v instanceof Map<?, ?> map) {
            b.append("{\n");
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                b.append("  ".repeat(indent + 1));
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue(), indent + 1);
                b.append(it.hasNext() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append('}');
        } else if (v instanceof Double d) {
            b.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v == null) {
            b.append("null");
        } else {
            string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}

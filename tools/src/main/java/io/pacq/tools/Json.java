package io.pacq.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.pacq.CommandStats;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON the CLI prints, written with Jackson's generator from maps and lists. */
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

    /**
     * The JSON text of {@code v}: maps (in their iteration order), lists, strings, numbers, booleans
     * and null, pretty-printed with two-space indents and {@code "key": value}; a non-finite double
     * is written as null, since JSON has no NaN or infinity.
     */
    static String write(Object v) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter(DefaultPrettyPrinter.DEFAULT_ROOT_VALUE_SEPARATOR)
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        return out.toString();
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)
                || v == null) {
            g.writeNull();
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }
}

package io.pacq.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pacq reproduce --quick} in process on the cycle model: every row, exit codes, JSON. */
class ReproduceCommandTest {
    /** The rows docs/reproduce.md promises, in order, as claim text and the start of the shape cell. */
    static final String[][] ROWS = {
            {"speedup vs P(B)k (K-packed flow)", "m16n16k16 INT4"},
            {"speedup vs P(B)k (K-packed flow)", "m16n16k16 INT2"},
            {"speedup vs P(B)k, large layer", "m16n1024k1024 INT4"},
            {"speedup vs P(B)k, large layer", "m16n1024k1024 INT2"},
            {"speedup vs DEQUANT (dequantize flow)", "m16n1024k1024 INT4"},
            {"speedup vs DEQUANT (dequantize flow)", "m16n1024k1024 INT2"},
            {"register-file accesses vs P(B)k", "m16n16k16 INT4"},
            {"register-file accesses vs P(B)k", "m16n16k16 INT2"},
            {"register-file accesses vs DEQUANT", "m16n1024k1024 INT4"},
            {"register-file accesses vs DEQUANT", "m16n1024k1024 INT2"},
            {"EDP vs the dequantize flow", "m16n1024k1024 INT4"},
            {"EDP vs the dequantize flow", "m16n1024k1024 INT2"},
            {"energy vs the dequantize flow", "m16n1024k1024 INT4"},
            {"energy vs the dequantize flow", "m16n1024k1024 INT2"},
            {"matrix-unit products per cycle vs the FP16 unit", "machine definition"},
            {"matrix-unit products per cycle vs the FP16 unit", "machine definition"},
            {"accuracy: PACQ error / DEQUANT error vs FP64", "m16n1024k1024 INT4"},
            {"paper's FP16 datapath: error / DEQUANT error", "m16n1024k256 INT4"},
            {"paper's FP16 datapath: outputs Inf/NaN", "m16n1024k1024 INT4"},
            {"drawn multiplier: carry out of the 14-bit intermediate lost", "all normal"},
            {"drawn multiplier: products needing the omitted normalization", "all normal"},
    };

    /** Cells of the pipe-table rows of the claims table. */
    private static List<String[]> claimRows(String out) {
        List<String[]> rows = new ArrayList<>();
        boolean in = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("| claim ")) {
                in = true;
                continue;
            }
            if (in && !line.startsWith("|")) {
                break;
            }
            if (in && !line.startsWith("| ---")) {
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].strip();
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    @Test
    void quickRunPrintsEveryRowWithAFigure() {
        CliTest.Run r = CliTest.pacq("reproduce", "--quick");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("device outputs bit-exact vs the reference: all"), r.out());
        List<String[]> rows = claimRows(r.out());
        assertEquals(ROWS.length, rows.size(), r.out());
        for (int i = 0; i < ROWS.length; i++) {
            String[] row = rows.get(i);
            assertEquals(ROWS[i][0], row[0]);
            assertTrue(row[3].startsWith(ROWS[i][1]), row[3]);
            assertFalse(row[2].equals("—") || row[2].isEmpty(), "no figure of ours in row " + String.join(" | ", row));
        }
        assertEquals("1.98x", rows.get(0)[1]);
        assertEquals("-70.4 %", rows.get(10)[1]);
        assertEquals("-81.4 %", rows.get(11)[1]);
        for (String section : new String[] {"Energy (docs/reproduce.md", "Accuracy vs FP64", "under other energy assumptions",
                "Where this machine differs from the paper's:", "command: pacq reproduce --quick"}) {
            assertTrue(r.out().contains(section), "missing " + section);
        }
        // the paper's datapath at K = 1024 with one group per column overflows; the device never does
        assertTrue(r.out().matches("(?s).*m16n1024k1024 \\| INT4 \\| g1024 \\| paper FP16, as drawn +\\| inf .*"), r.out());
    }

    @Test
    void jsonReportIsConsistent() throws Exception {
        CliTest.Run r = CliTest.pacq("reproduce", "--quick", "--json", "--static-pj-per-cycle", "100");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> root = parse(r.out());
        assertEquals(Boolean.TRUE, root.get("all_bit_exact"));
        assertEquals("m16n1024k1024", root.get("large_shape"));
        @SuppressWarnings("unchecked") List<Map<String, Object>> claims = (List<Map<String, Object>>) root.get("claims");
        assertEquals(ROWS.length, claims.size());
        Map<String, Double> ours = new HashMap<>();
        for (Map<String, Object> c : claims) {
            assertNotNull(c.get("ours"), "claim " + c.get("id"));
            assertTrue(ours.put((String) c.get("id"), ((Number) c.get("ours")).doubleValue()) == null, "duplicate id");
        }
        // properties of the machine that hold whatever the constants: PACQ beats its baselines, is no less accurate
        assertTrue(ours.get("speedup_vs_pbk_m16n16k16_int4") > 1);
        assertTrue(ours.get("edp_vs_dequant_large_int4") < 0);
        assertTrue(ours.get("edp_vs_dequant_large_int2") < 0);
        assertTrue(ours.get("accuracy_pacq_vs_dequant_large_int4") <= 1);
        @SuppressWarnings("unchecked") List<Map<String, Object>> runs = (List<Map<String, Object>>) root.get("runs");
        assertEquals(18, runs.size());
        for (Map<String, Object> run : runs) {
            @SuppressWarnings("unchecked") Map<String, Object> e = (Map<String, Object>) run.get("energy_pj");
            @SuppressWarnings("unchecked") Map<String, Object> c = (Map<String, Object>) run.get("counters");
            double sum = 0;
            for (String part : new String[] {"register_file", "shared_memory", "device_memory", "instructions",
                    "matrix_mul", "matrix_add", "lane_mul", "lane_add", "static"}) {
                sum += ((Number) e.get(part)).doubleValue();
            }
            double total = ((Number) e.get("total")).doubleValue();
            assertEquals(total, sum, 1e-9 * total);
            long cycles = ((Number) c.get("cycles")).longValue();
            assertEquals(100.0 * cycles, ((Number) e.get("static")).doubleValue(), 1e-6);
            // EDP = energy (J) x cycles / 200 MHz
            assertEquals(total * 1e-12 * cycles / 200e6, ((Number) run.get("edp_joule_seconds")).doubleValue(),
                    1e-9 * total * 1e-12 * cycles / 200e6);
            assertEquals(Boolean.TRUE, run.get("bit_exact"));
        }
        assertEquals(100.0, ((Number) root.get("static_pj_per_cycle")).doubleValue());
    }

    @Test
    void aDeviceWithoutCyclesIsRefused() {
        CliTest.Run r = CliTest.pacq("reproduce", "--quick", "--device", "emu:");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("pacq: error: device emu:") && r.err().contains("reports no clock"), r.err());
        CliTest.Run bad = CliTest.pacq("reproduce", "--static-pj-per-cycle", "-1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("static energy must be finite and >= 0"), bad.err());
    }

    /** A small JSON reader over jackson-core: objects to maps, arrays to lists, numbers, strings, booleans, null. */
    static Map<String, Object> parse(String json) throws Exception {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) value(p);
            return m;
        }
    }

    private static Object value(JsonParser p) throws Exception {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalStateException("unexpected " + t);
        }
    }
}

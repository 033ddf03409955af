package io.pacq.emu.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's options and output (a functional check: nothing here is timed or judged on speed). */
class GemmBenchmarkTest {

    @Test
    void optionsParseAndBadOnesAreNamed() {
        GemmBenchmark.Options o = GemmBenchmark.Options.parse("--quick", "--json", "--shapes", "m2n70k64,m1n16k32",
                "--bits", "4,8", "--engine", "plain", "--threads", "1", "--seed", "9");
        assertEquals(List.of(new GemmBenchmark.Shape(2, 70, 64), new GemmBenchmark.Shape(1, 16, 32)), o.shapes());
        assertEquals(List.of(4, 8), o.bits());
        assertTrue(o.quick() && o.json());
        assertEquals("plain", o.engine());
        assertEquals(GemmBenchmark.Options.DEFAULT_SHAPES, GemmBenchmark.Options.parse().shapes());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GemmBenchmark.Options.parse("--fast"))
                .getMessage().contains("--fast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GemmBenchmark.Options.parse("--shapes", "16x16"))
                .getMessage().contains("mMnNkK"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GemmBenchmark.Options.parse("--bits", "3"))
                .getMessage().contains("2, 4 or 8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GemmBenchmark.Options.parse("--threads"))
                .getMessage().contains("needs a value"));
    }

    @Test
    void aQuickRunReportsEveryMeasurementAndBitExactness() {
        GemmBenchmark.Options o = GemmBenchmark.Options.parse("--quick", "--json", "--shapes", "m3n70k256",
                "--bits", "4", "--threads", "2");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        GemmBenchmark.Report r = GemmBenchmark.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String json = buf.toString(StandardCharsets.UTF_8).trim();
        assertTrue(r.allBitExact());
        assertEquals(1, r.rows().size());
        GemmBenchmark.Row row = r.rows().get(0);
        assertTrue(row.engineDirect().medianSeconds() > 0 && row.engineDevice().medianSeconds() > 0
                && row.baseline().medianSeconds() > 0 && row.reference().medianSeconds() > 0 && r.peakGflops() > 0);
        assertTrue(json.startsWith("{\"engine\":") && json.endsWith("]}"), json);
        assertTrue(json.contains("\"allBitExact\":true") && json.contains("\"shape\":\"m3n70k256\""), json);
    }
}

package io.pacq.repro;

import io.pacq.fp.Fp16;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reproduction's arithmetic helpers, by hand (the device runs are tested with the CLI in tools). */
class ReproductionTest {
    @Test
    void relativeRmsError() {
        short[] c = {Fp16.fromFloat(3f), Fp16.fromFloat(4f)};
        // errors 1 and 0 against exact 2 and 4: sqrt(1 / (4 + 16))
        assertEquals(Math.sqrt(1.0 / 20), Reproduction.relRms(c, new double[] {2, 4}), 1e-15);
        short[] inf = {(short) 0x7C00, Fp16.fromFloat(4f)};
        assertEquals(Double.POSITIVE_INFINITY, Reproduction.relRms(inf, new double[] {2, 4}));
        assertEquals(Double.POSITIVE_INFINITY, Reproduction.relRms(new short[] {Fp16.CANONICAL_NAN}, new double[] {1}));
    }

    @Test
    void changeIsPercentOfTheBaseline() {
        assertEquals(-75.0, Reproduction.change(1, 4), 1e-12);
        assertEquals(50.0, Reproduction.change(3, 2), 1e-12);
    }

    /**
     * docs/simt.md 5: HMMA 4096 products in 64 cycles; PMMA INT4 16384 in 64; INT2 32768 in 128
     * (adder bound); INT8 8192 in 64.
     */
    @Test
    void matrixUnitThroughputFromTheMachineDefinition() {
        assertEquals(4.0, Reproduction.mmaThroughputRatio(4), 1e-12);
        assertEquals(4.0, Reproduction.mmaThroughputRatio(2), 1e-12);
        assertEquals(2.0, Reproduction.mmaThroughputRatio(8), 1e-12);
        assertEquals(128.0, Reproduction.pmmaBusy(2), 1e-12);
    }

    @Test
    void claimFormatting() {
        Reproduction.Claim x = new Reproduction.Claim("id", "c", 1.98, 1.2249, "x", "s");
        assertEquals("1.98x", x.format(x.paper()));
        assertEquals("1.22x", x.format(x.ours()));
        assertEquals("5.26e+04x", x.format(52576.99));
        assertEquals("—", x.format(Double.NaN));
        Reproduction.Claim p = new Reproduction.Claim("id", "c", -36.8, 3.04, "%", "s");
        assertEquals("-36.8 %", p.format(p.paper()));
        assertEquals("+3.0 %", p.format(p.ours()));
        assertEquals("inf", p.format(Double.POSITIVE_INFINITY));
    }
}

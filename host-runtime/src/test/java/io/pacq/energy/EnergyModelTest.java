package io.pacq.energy;

import io.pacq.CommandStats;
import io.pacq.GemmMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The energy model on hand-computed counter sets. Every expected value below is worked out by
 * hand from the published figures (docs/reproduce.md), not taken from the code.
 */
class EnergyModelTest {
    // Per-event energies, derived by hand:
    static final double RF = 2.5;                 // 10 pJ x sqrt(2048 / 8192) x 32 / 64
    static final double SMEM = 3.5355339059;      // 10 pJ x sqrt(65536 / 8192) / 8 = 20 sqrt(2) / 8
    static final double DMEM = 162.5;             // 1300 pJ / 8
    static final double INSTR = 34.641016151;     // 10 pJ x sqrt(98304 / 8192) = 10 sqrt(12)
    static final double PACQ_MUL = 1.3027394;     // 1.1 x (4 / 3.38 + 8 / 6.75) / 2 = 1.1 x (1.1834320 + 1.1851852) / 2

    static final double TOL = 1e-6;

    @Test
    void perEventEnergiesAreThePublishedFiguresScaledAsDocumented() {
        assertEquals(RF, EnergyEvent.RF_WORD.picojoules(), TOL);
        assertEquals(SMEM, EnergyEvent.SMEM_BYTE.picojoules(), TOL);
        assertEquals(DMEM, EnergyEvent.DMEM_BYTE.picojoules(), TOL);
        assertEquals(INSTR, EnergyEvent.INSTRUCTION.picojoules(), 1e-6);
        assertEquals(1.1, EnergyEvent.FP16_MUL.picojoules(), TOL);
        assertEquals(3.7, EnergyEvent.FP32_MUL.picojoules(), TOL);
        assertEquals(0.9, EnergyEvent.FP32_ADD.picojoules(), TOL);
        assertEquals(PACQ_MUL, EnergyEvent.PACQ_MUL.picojoules(), 1e-6);
    }

    @Test
    void matrixProductsCoverThePaddedTileGrid() {
        // M 17 -> two 16-row tiles; N 65 at INT4 -> two strips of 64 columns; K 32
        assertEquals(32L * 128 * 32, new EnergyModel.Workload(GemmMode.PACQ, 17, 65, 32, 4).matrixProducts());
        // INT2 strips are 128 columns, INT8 strips 32
        assertEquals(16L * 128 * 16, new EnergyModel.Workload(GemmMode.DEQUANT, 16, 16, 16, 2).matrixProducts());
        assertEquals(16L * 64 * 48, new EnergyModel.Workload(GemmMode.KPACKED, 1, 33, 48, 8).matrixProducts());
    }

    /** A PACQ INT4 command m16n16k16: 16384 matrix products (one 64-column strip), 1024 lane FMACs. */
    @Test
    void pacqCommandByHand() {
        CommandStats s = new CommandStats(1000, 800, 30000, 20000, 7000, 1200, 800, 16384 + 1024, 16384 + 1024,
                0, 0, 0, 0);
        EnergyBreakdown e = EnergyModel.standard().estimate(new EnergyModel.Workload(GemmMode.PACQ, 16, 16, 16, 4), s);
        assertEquals(50000 * RF, e.registerFile(), TOL);                 // 125 000 pJ
        assertEquals(7000 * SMEM, e.sharedMemory(), 1e-5);
        assertEquals(2000 * DMEM, e.deviceMemory(), TOL);                 // 325 000 pJ
        assertEquals(800 * INSTR, e.instructions(), 1e-4);
        assertEquals(4096 * PACQ_MUL, e.matrixMul(), 1e-3);              // 16384 products / 4 per operation
        assertEquals(16384 * 0.9, e.matrixAdd(), TOL);
        assertEquals(1024 * 3.7, e.laneMul(), TOL);                      // FMAC: FP32 multiply
        assertEquals(1024 * 0.9, e.laneAdd(), TOL);                      // FMAC: FP32 add
        assertEquals(0, e.staticEnergy());
        double total = 125000 + 7000 * SMEM + 325000 + 800 * INSTR + 4096 * PACQ_MUL + 16384 * 0.9 + 1024 * 4.6;
        assertEquals(total, e.total(), 1e-3);
        assertEquals(total - 325000, e.onChip(), 1e-3);
    }

    @Test
    void dequantChargesFp16ProductsAndHmul2() {
        // m16n16k16 INT4 DEQUANT: 16384 HMMA products, 1024 HMUL2 products (each weight once), no lane adds
        CommandStats s = new CommandStats(1200, 840, 0, 0, 0, 0, 0, 16384 + 1024, 16384, 0, 0, 0, 0);
        EnergyBreakdown e = EnergyModel.standard().estimate(new EnergyModel.Workload(GemmMode.DEQUANT, 16, 16, 16, 4), s);
        assertEquals(16384 * 1.1, e.matrixMul(), TOL);
        assertEquals(1024 * 1.1, e.laneMul(), TOL);
        assertEquals(0, e.laneAdd());
        assertEquals(16384 * 0.9, e.matrixAdd(), TOL);
        assertEquals(840 * INSTR + 16384 * 2.0 + 1024 * 1.1, e.total(), 1e-3);
    }

    @Test
    void kpackedChargesOneMultiplierOperationPerProduct() {
        CommandStats s = new CommandStats(1200, 0, 0, 0, 0, 0, 0, 32768, 32768, 0, 0, 0, 0);
        // INT2 m16n16k16: one strip of 128 columns, 32768 products, no lane work
        EnergyBreakdown e = EnergyModel.standard().estimate(new EnergyModel.Workload(GemmMode.KPACKED, 16, 16, 16, 2), s);
        assertEquals(32768 * PACQ_MUL, e.matrixMul(), 1e-2);
        // the same counters as PACQ: 8 products per multiplier operation
        EnergyBreakdown p = EnergyModel.standard().estimate(new EnergyModel.Workload(GemmMode.PACQ, 16, 16, 16, 2), s);
        assertEquals(4096 * PACQ_MUL, p.matrixMul(), 1e-3);
    }

    @Test
    void staticEnergyAndEdp() {
        CommandStats s = new CommandStats(200_000, 0, 400_000, 0, 0, 0, 0, 16384, 16384, 0, 0, 0, 0);
        EnergyModel m = EnergyModel.standard().withStaticPerCycle(5);
        EnergyBreakdown e = m.estimate(new EnergyModel.Workload(GemmMode.PACQ, 16, 16, 16, 4), s);
        assertEquals(1_000_000, e.staticEnergy(), TOL);                  // 200 000 cycles x 5 pJ
        double joules = (400_000 * RF + 4096 * PACQ_MUL + 16384 * 0.9 + 1_000_000) * 1e-12;
        assertEquals(1e-3, e.seconds(200_000), 1e-15);                   // 200 000 cycles at 200 MHz
        assertEquals(joules * 1e-3, e.edp(200_000), 1e-9 * joules * 1e-3);
        assertEquals(joules * 1e-3, e.edpOnChip(200_000), 1e-9 * joules * 1e-3);  // no device memory in this set
    }

    @Test
    void overridesReplaceOneEvent() {
        EnergyModel m = EnergyModel.standard().with(EnergyEvent.DMEM_BYTE, 0);
        assertEquals(0, m.energy(EnergyEvent.DMEM_BYTE));
        assertEquals(RF, m.energy(EnergyEvent.RF_WORD), TOL);
        assertEquals(DMEM, EnergyModel.standard().energy(EnergyEvent.DMEM_BYTE), TOL);  // the original is unchanged
        var v = EnergyModel.sensitivityVariants(EnergyModel.standard());
        assertEquals(3, v.size());
        assertTrue(v.values().stream().anyMatch(x -> x.energy(EnergyEvent.DMEM_BYTE) == 325.0));  // 2600 pJ / 8
        assertTrue(v.values().stream().anyMatch(x -> Math.abs(x.energy(EnergyEvent.SMEM_BYTE) - 0.625) < TOL)); // 10 x sqrt(1/4) / 2 / 4
    }

    @Test
    void refusesCounterSetsThatCannotBeAGemm() {
        EnergyModel m = EnergyModel.standard();
        EnergyModel.Workload w = new EnergyModel.Workload(GemmMode.PACQ, 16, 16, 16, 4);
        var noCycles = assertThrows(IllegalArgumentException.class, () -> m.estimate(w, CommandStats.NONE));
        assertTrue(noCycles.getMessage().contains("no cycle count"), noCycles.getMessage());
        var few = assertThrows(IllegalArgumentException.class,
                () -> m.estimate(w, new CommandStats(10, 0, 0, 0, 0, 0, 0, 100, 16384, 0, 0, 0, 0)));
        assertTrue(few.getMessage().contains("MUL_OPS 100") && few.getMessage().contains("16384"), few.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.with(EnergyEvent.RF_WORD, -1));
        assertThrows(IllegalArgumentException.class, () -> m.withStaticPerCycle(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new EnergyModel.Workload(GemmMode.PACQ, 16, 16, 20, 4));
        assertThrows(IllegalArgumentException.class, () -> new EnergyModel.Workload(GemmMode.PACQ, 16, 16, 16, 3));
    }
}

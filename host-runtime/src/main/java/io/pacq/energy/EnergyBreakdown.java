package io.pacq.energy;

/**
 * Energy of one command by component, in picojoules, as {@link EnergyModel#estimate} computed it.
 * Immutable.
 *
 * @param registerFile  register-file reads and writes
 * @param sharedMemory  shared-memory bytes
 * @param deviceMemory  device-memory (DRAM) bytes
 * @param instructions  instruction fetch
 * @param matrixMul     matrix-unit multiplies (PACQ: parallel FP-INT operations; KPACKED: one per
 *                      product; DEQUANT: FP16 products)
 * @param matrixAdd     matrix-unit FP32 accumulations
 * @param laneMul       lane multiplies (FP32 in PACQ/KPACKED, FP16 HMUL2 in DEQUANT)
 * @param laneAdd       lane FP32 adds
 * @param staticEnergy  static energy (cycles x pJ per cycle)
 * @param cycles        the command's cycles
 */
public record EnergyBreakdown(double registerFile, double sharedMemory, double deviceMemory, double instructions,
                              double matrixMul, double matrixAdd, double laneMul, double laneAdd,
                              double staticEnergy, long cycles) {

    /** Total energy, pJ. */
    public double total() {
        return onChip() + deviceMemory;
    }

    /** Energy without device memory (the chip alone), pJ. */
    public double onChip() {
        return registerFile + sharedMemory + instructions + matrixMul + matrixAdd + laneMul + laneAdd + staticEnergy;
    }

    /** Arithmetic alone (matrix and lane multiplies and adds), pJ. */
    public double arithmetic() {
        return matrixMul + matrixAdd + laneMul + laneAdd;
    }

    /** Run time at the given clock, seconds. */
    public double seconds(int clockKhz) {
        if (clockKhz <= 0) {
            throw new IllegalArgumentException("clock must be positive, got " + clockKhz + " kHz");
        }
        return cycles / (clockKhz * 1e3);
    }

    /** Energy-delay product at the given clock: total energy (J) x run time (s), in J·s. */
    public double edp(int clockKhz) {
        return total() * 1e-12 * seconds(clockKhz);
    }

    /** Energy-delay product of the chip alone (device memory excluded), J·s. */
    public double edpOnChip(int clockKhz) {
        return onChip() * 1e-12 * seconds(clockKhz);
    }
}

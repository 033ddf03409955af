// Testbench of pacq_fpint_mul, the parallel FP-INT multiplier: every FP16 activation x every INT4
// and INT2 code, every INT8 (code, zero point) pair, random words (Java reference). The unit is
// combinational; its eight 32-bit lane outputs form one 256-bit port (VlWide<8>).
#include "Vpacq_fpint_mul.h"
#include "verilated.h"
#include "tb_vectors.h"

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    Vpacq_fpint_mul dut;
    const char* path = argc > 1 ? argv[1] : "build/vectors/pacq_fpint_mul.vec";
    return tbv::run("pacq_fpint_mul", path, 4, 8, [&](const uint32_t* in, uint32_t* out) {
        dut.a_i = in[0];
        dut.w_i = in[1];
        dut.z_i = in[2];
        dut.bits_i = in[3];
        dut.eval();
        for (int j = 0; j < 8; j++) out[j] = dut.prod_o[j];
    });
}

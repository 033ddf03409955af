// Testbench of fp32_fma (FFMA, one rounding): edge operands, cancellations, random operands and
// GEMM-like accumulations, against Java's Math.fma. Combinational unit.
#include "Vfp32_fma.h"
#include "verilated.h"
#include "tb_vectors.h"

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    Vfp32_fma dut;
    const char* path = argc > 1 ? argv[1] : "build/vectors/fp32_fma.vec";
    return tbv::run("fp32_fma", path, 3, 1, [&](const uint32_t* in, uint32_t* out) {
        dut.a_i = in[0];
        dut.b_i = in[1];
        dut.c_i = in[2];
        dut.eval();
        out[0] = dut.r_o;
    });
}

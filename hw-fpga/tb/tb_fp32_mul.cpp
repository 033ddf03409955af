// Testbench of fp32_mul: every vector of build/vectors/fp32_mul.vec (Java reference) through the
// Verilated unit, which is combinational: set the inputs, evaluate, compare.
#include "Vfp32_mul.h"
#include "verilated.h"
#include "tb_vectors.h"

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    Vfp32_mul dut;
    const char* path = argc > 1 ? argv[1] : "build/vectors/fp32_mul.vec";
    return tbv::run("fp32_mul", path, 2, 1, [&](const uint32_t* in, uint32_t* out) {
        dut.a_i = in[0];
        dut.b_i = in[1];
        dut.eval();
        out[0] = dut.prod_o;
    });
}

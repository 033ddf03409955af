// Testbench of fp32_add: every vector of build/vectors/fp32_add.vec (Java reference) through the
// Verilated unit, which is combinational: set the inputs, evaluate, compare.
#include "Vfp32_add.h"
#include "verilated.h"
#include "tb_vectors.h"

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    Vfp32_add dut;
    const char* path = argc > 1 ? argv[1] : "build/vectors/fp32_add.vec";
    return tbv::run("fp32_add", path, 2, 1, [&](const uint32_t* in, uint32_t* out) {
        dut.a_i = in[0];
        dut.b_i = in[1];
        dut.eval();
        out[0] = dut.sum_o;
    });
}

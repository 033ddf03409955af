// Testbench of fp32_to_fp16 (RN16): every exponent and sign with fractions around each rounding
// boundary, plus random patterns (Java reference), combinational unit.
#include "Vfp32_to_fp16.h"
#include "verilated.h"
#include "tb_vectors.h"

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    Vfp32_to_fp16 dut;
    const char* path = argc > 1 ? argv[1] : "build/vectors/fp32_to_fp16.vec";
    return tbv::run("fp32_to_fp16", path, 1, 1, [&](const uint32_t* in, uint32_t* out) {
        dut.f_i = in[0];
        dut.eval();
        out[0] = dut.h_o;
    });
}

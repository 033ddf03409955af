// Testbench of fp16_to_fp32: all 65536 FP16 patterns (Java reference), combinational unit.
#include "Vfp16_to_fp32.h"
#include "verilated.h"
#include "tb_vectors.h"

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    Vfp16_to_fp32 dut;
    const char* path = argc > 1 ? argv[1] : "build/vectors/fp16_to_fp32.vec";
    return tbv::run("fp16_to_fp32", path, 1, 1, [&](const uint32_t* in, uint32_t* out) {
        dut.h_i = in[0];
        dut.eval();
        out[0] = dut.f_o;
    });
}

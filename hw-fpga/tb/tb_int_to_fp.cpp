// Testbench of int_to_fp (I2F and I2H2): every integer in [-70000, 70000], every 16-bit half,
// edge and random values, against Java's int -> float and Fp16 RN16. Combinational unit.
#include "Vint_to_fp.h"
#include "verilated.h"
#include "tb_vectors.h"

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    Vint_to_fp dut;
    const char* path = argc > 1 ? argv[1] : "build/vectors/int_to_fp.vec";
    return tbv::run("int_to_fp", path, 1, 2, [&](const uint32_t* in, uint32_t* out) {
        dut.x_i = in[0];
        dut.eval();
        out[0] = dut.f32_o;
        out[1] = dut.h2_o;
    });
}

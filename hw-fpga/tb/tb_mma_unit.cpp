// Testbench of the matrix unit's synthesis branch (tb_mma_unit.sv): random instructions of every
// kind (HMMA; PMMA and KMMA with INT2, INT4, INT8; random FP16 activations and words, zero points,
// FP32 C values with specials), back to back or with gaps, with model-clock stalls (adv_i low) and
// launches that clear an instruction in flight. In every cycle the accumulators the synthesis
// branch drains (d_syn_o) must equal the simulated unit's (d_sim_o), which the rtlsim differential
// tests hold to the Java reference. Arguments: [instructions] [seed].
#include "Vtb_mma_unit.h"
#include "verilated.h"
#include <cstdio>
#include <cstdlib>
#include <random>

namespace {
struct Kind { const char* name; int kind, bsel, cpw, busy; };
// busy as pacq_simt_pkg decodes it: HMMA 64; PMMA 64 (INT2: 128); KMMA 64 cpw.
const Kind kKinds[] = {
    {"HMMA", 0, 0, 1, 64},       {"PMMA INT2", 1, 0, 8, 128}, {"PMMA INT4", 1, 1, 4, 64},
    {"PMMA INT8", 1, 2, 2, 64},  {"KMMA INT2", 2, 0, 8, 512}, {"KMMA INT4", 2, 1, 4, 256},
    {"KMMA INT8", 2, 2, 2, 128},
};

std::mt19937 rng;

uint32_t fp32_operand() {
    static const uint32_t kSpecial[] = {0x00000000u, 0x80000000u, 0x7f800000u, 0xff800000u,
                                        0x7fc00000u, 0x00000001u, 0x7f7fffffu, 0x3f800000u};
    uint32_t r = rng();
    if (r % 16 == 0) return kSpecial[(r >> 4) % 8];
    // Mostly moderate magnitudes, so that sums carry information rather than saturating.
    return (r & 0x80000000u) | ((100u + (r >> 8) % 56u) << 23) | (rng() & 0x7fffffu);
}
uint16_t fp16_operand() {
    uint32_t r = rng();
    if (r % 32 == 0) return (uint16_t)(r >> 16);                 // anything: NaN, Inf, subnormal
    return (uint16_t)((r & 0x8000u) | ((8u + (r >> 5) % 16u) << 10) | ((r >> 12) & 0x3ffu));
}

int first_difference(const Vtb_mma_unit& t) {
    for (int i = 0; i < 2048; i++) if (t.d_sim_o[i] != t.d_syn_o[i]) return i;
    return -1;
}
}  // namespace

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    int count = argc > 1 ? atoi(argv[1]) : 28;
    rng.seed(argc > 2 ? (unsigned)atoi(argv[2]) : 1u);
    auto* model = new Vtb_mma_unit;                              // too large for the stack
    Vtb_mma_unit& t = *model;
    long cycle = 0;
    int drains = 0;                                              // cycles in which d_o changed
    static uint32_t last[2048] = {};
    auto tick = [&](bool adv) {
        t.adv_i = adv;
        t.clk_i = 1; t.eval();
        t.clk_i = 0; t.eval();
        cycle++;
        int i = first_difference(t);
        if (i >= 0) {
            fprintf(stderr, "tb_mma_unit: cycle %ld: accumulator %d: simulated %08x, synthesis branch %08x\n",
                    cycle, i, t.d_sim_o[i], t.d_syn_o[i]);
            exit(1);
        }
        bool changed = false;
        for (int j = 0; j < 2048; j++) { changed |= last[j] != t.d_sim_o[j]; last[j] = t.d_sim_o[j]; }
        drains += changed;
    };
    t.rst_ni = 0; t.clk_i = 0; t.eval();
    t.rst_ni = 1; t.eval();
    int per_kind[7] = {};
    int cleared = 0;
    for (int n = 0; n < count; n++) {
        const Kind& k = kKinds[n < 7 ? n : rng() % 7];
        per_kind[&k - kKinds]++;
        for (int i = 0; i < 128; i++) t.a_i[i] = fp16_operand() | (uint32_t)fp16_operand() << 16;
        for (int i = 0; i < 128; i++) t.b_i[i] = k.kind == 0 ? fp16_operand() | (uint32_t)fp16_operand() << 16 : rng();
        for (int i = 0; i < 32; i++) t.z_i[i] = rng();
        for (int i = 0; i < 2048; i++) t.c_i[i] = n % 5 == 4 ? 0u : fp32_operand();   // some .z
        t.kind_i = k.kind; t.bsel_i = k.bsel; t.cpw_i = k.cpw; t.busy_i = k.busy;
        // The start edge is the first step's F; the others follow on advancing edges.
        t.start_i = 1;
        tick(true);
        t.start_i = 0;
        bool clear = n >= 7 && rng() % 8 == 0;
        int clear_at = clear ? (int)(rng() % k.busy) : -1;
        for (int s = 1; s < k.busy; ) {
            if (s == clear_at) {
                t.clear_i = 1; tick(true); t.clear_i = 0;
                cleared++;
                break;
            }
            bool adv = rng() % 10 != 0;
            tick(adv);
            if (adv) s++;
        }
        // Back to back (the next start right after the last F) or a few cycles apart.
        int gap = rng() % 3 == 0 ? 0 : (int)(rng() % 5);
        for (int g = 0; g < gap; g++) tick(rng() % 4 != 0);
    }
    for (int g = 0; g < 8; g++) tick(true);                      // the last instruction's A and drain
    // Every instruction that ran to its end drained new accumulators: the comparison saw data.
    if (drains < count - cleared) {
        fprintf(stderr, "tb_mma_unit: only %d drains for %d completed instructions\n", drains, count - cleared);
        return 1;
    }
    printf("tb_mma_unit: %d instructions (", count);
    for (int i = 0; i < 7; i++) printf("%s%s %d", i ? ", " : "", kKinds[i].name, per_kind[i]);
    printf("; %d cleared), %ld cycles: synthesis branch equals the simulated unit\n", cleared, cycle);
    delete model;
    return 0;
}

// Testbench of the register file's synthesis branch (tb_rf.sv): random group reads and writes on
// every port, with random warps, unaligned bases (groups that wrap past r127 too), random lane
// masks and data, after every register has been written once. Writes follow pacq_rf's contract
// (no two ports write the same register in a cycle). In every cycle each enabled read port's rows
// must equal, in both implementations, a plain array kept here; rows past a port's register count
// and rows of disabled ports must read 0 in the synthesis branch (the simulated one keeps its last
// rows there, which the core never uses). Arguments: [cycles] [seed].
#include "Vtb_rf.h"
#include "tb_wide.h"
#include "verilated.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {
constexpr int kWarps = 4, kRegs = 128, kLanes = 32;
constexpr int kRdRegs[4] = {4, 4, 1, 8};   // pacq_rf's defaults: A, B, C, a unit's C group
constexpr int kWrRegs[4] = {1, 4, 4, 8};   // ALU, FPU/LDS, global load, a unit's D group
std::mt19937 rng;
}  // namespace

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    long cycles = argc > 1 ? atol(argv[1]) : 20000;
    rng.seed(argc > 2 ? (unsigned)atoi(argv[2]) : 1u);
    auto* model = new Vtb_rf;
    Vtb_rf& t = *model;
    std::vector<uint32_t> ref(kWarps * kRegs * kLanes, 0);
    long reads = 0, writes = 0;

    auto word = [&](int w, int r, int l) -> uint32_t& { return ref[(w * kRegs + (r & 127)) * kLanes + l]; };
    auto cycle = [&](long n, bool init) {
        // Inputs of this cycle.
        uint32_t en = 0, lanes[4];
        int wwarp[4], wbase[4], rwarp[4], rbase[4];
        std::vector<bool> taken(kWarps * kRegs, false);
        for (int p = 0; p < 4; p++) {
            wwarp[p] = rng() % kWarps;
            wbase[p] = rng() % kRegs;
            lanes[p] = rng() % 4 == 0 ? 0xffffffffu : rng();
            if (init) {                        // port 3 writes group n of every warp, all lanes
                wwarp[p] = (int)(n / 16); wbase[p] = (int)(n % 16) * 8; lanes[p] = 0xffffffffu;
            }
            for (int j = 0; j < kWrRegs[p]; j++) {
                bool on = init ? p == 3 : rng() % 3 != 0;
                int reg = (wbase[p] + j) & 127;
                if (on && !taken[wwarp[p] * kRegs + reg]) {
                    taken[wwarp[p] * kRegs + reg] = true;
                    en |= 1u << (8 * p + j);
                }
            }
            t.wr_warp_i = (t.wr_warp_i & ~(3u << (2 * p))) | (wwarp[p] << (2 * p));
            t.wr_base_i = (t.wr_base_i & ~(127u << (7 * p))) | (wbase[p] << (7 * p));
            t.wr_lanes_i[p] = lanes[p];
            for (int j = 0; j < 8; j++)
                for (int l = 0; l < kLanes; l++) t.wr_data_i[(8192 * p + 1024 * j + 32 * l) / 32] = rng();
        }
        t.wr_en_i = en;
        uint32_t ren = 0;
        for (int p = 0; p < 4; p++) {
            if (!init && rng() % 4 != 0) ren |= 1u << p;
            rwarp[p] = rng() % kWarps;
            rbase[p] = rng() % kRegs;
            t.rd_warp_i = (t.rd_warp_i & ~(3u << (2 * p))) | (rwarp[p] << (2 * p));
            t.rd_base_i = (t.rd_base_i & ~(127u << (7 * p))) | (rbase[p] << (7 * p));
        }
        t.rd_en_i = ren;
        t.eval();
        // Reads see the registers before this cycle's edge.
        for (int x = 0; x < 2; x++) {
            for (int p = 0; p < 4; p++) {
                for (int j = 0; j < 8; j++) {
                    bool on = (ren >> p & 1) && j < kRdRegs[p];
                    if (!on && x == 0) continue;
                    for (int l = 0; l < kLanes; l++) {
                        uint32_t got = t.rd_data_o[(32768 * x + 8192 * p + 1024 * j + 32 * l) / 32];
                        uint32_t want = on ? word(rwarp[p], rbase[p] + j, l) : 0;
                        if (got != want) {
                            fprintf(stderr, "tb_rf: cycle %ld: %s branch, read port %d, warp %d r%d lane %d: "
                                    "read %08x, expected %08x\n", n, x ? "synthesis" : "simulated", p,
                                    rwarp[p], (rbase[p] + j) & 127, l, got, want);
                            exit(1);
                        }
                        if (on && x == 0) reads++;
                    }
                }
            }
        }
        t.clk_i = 1; t.eval();
        t.clk_i = 0; t.eval();
        for (int p = 0; p < 4; p++)
            for (int j = 0; j < 8; j++)
                if (en >> (8 * p + j) & 1) {
                    writes++;
                    for (int l = 0; l < kLanes; l++)
                        if (lanes[p] >> l & 1) word(wwarp[p], wbase[p] + j, l) = t.wr_data_i[(8192 * p + 1024 * j + 32 * l) / 32];
                }
    };
    t.clk_i = 0; t.eval();
    for (long n = 0; n < kWarps * 16; n++) cycle(n, true);
    for (long n = 0; n < cycles; n++) cycle(n, false);
    printf("tb_rf: the synthesis branch equals the simulated register file and the reference on %ld "
           "random cycles: %ld register reads (32 lanes each) checked, %ld register writes\n", cycles, reads / 32, writes);
    model->final();
    delete model;
    return 0;
}

// Testbench of shared memory's synthesis branch (tb_smem.sv): random passes of 32 banks (random
// bank enables, rows, reads or byte-masked writes, model cycles that do not advance), after every
// word has been written once. In every cycle both implementations' read data must equal a plain
// array kept here: each bank holds the word its last read returned. Arguments: [cycles] [seed].
#include "Vtb_smem.h"
#include "tb_wide.h"
#include "verilated.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {
constexpr int kBanks = 32, kRows = 128, kBytes = 16;   // pacq_smem on the default machine (64 KiB)
std::mt19937 rng;
}  // namespace

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    long cycles = argc > 1 ? atol(argv[1]) : 20000;
    rng.seed(argc > 2 ? (unsigned)atoi(argv[2]) : 1u);
    auto* model = new Vtb_smem;
    Vtb_smem& t = *model;
    std::vector<uint8_t> ref(kBanks * kRows * kBytes, 0);
    std::vector<uint8_t> last(kBanks * kBytes, 0);   // each bank's last read
    long reads = 0, writes = 0, failures = 0;

    // One model cycle: drive the pass, clock it, update the reference, compare.
    auto cycle = [&](long n, bool adv, uint32_t en, bool we, const int* rows, bool all_bytes) {
        t.adv_i = adv;
        t.en_i = en;
        t.we_i = we;
        for (int b = 0; b < kBanks; b++) {
            set_bits(t.row_i, 7 * b, 7, (uint32_t)rows[b]);
            for (int k = 0; k < kBytes; k++) {
                set_bits(t.wdata_i, 128 * b + 8 * k, 8, rng() & 0xFF);
                set_bits(t.wstrb_i, 16 * b + k, 1, all_bytes ? 1u : (rng() & 1u));
            }
        }
        t.clk_i = 0;
        t.eval();
        t.clk_i = 1;
        t.eval();
        for (int b = 0; b < kBanks; b++) {
            if (!adv || !(en >> b & 1)) continue;
            uint8_t* word = &ref[(b * kRows + rows[b]) * kBytes];
            for (int k = 0; k < kBytes; k++) {
                if (we) {
                    if (get_byte(t.wstrb_i, 16 * b + k) & 1) word[k] = get_byte(t.wdata_i, 128 * b + 8 * k);
                } else {
                    last[b * kBytes + k] = word[k];
                }
            }
            we ? writes++ : reads++;
        }
        for (int x = 0; x < 2; x++) {
            for (int b = 0; b < kBanks; b++) {
                for (int k = 0; k < kBytes; k++) {
                    uint8_t got = get_byte(t.rdata_o, 4096 * x + 128 * b + 8 * k);
                    if (got != last[b * kBytes + k] && failures++ < 10)
                        printf("tb_smem: cycle %ld, %s, bank %d byte %d: got 0x%02x, expected 0x%02x\n", n,
                               x ? "synthesis branch" : "simulated", b, k, got, last[b * kBytes + k]);
                }
            }
        }
    };

    int rows[kBanks];
    for (int r = 0; r < kRows; r++) {                       // every word written once
        for (int b = 0; b < kBanks; b++) rows[b] = r;
        cycle(-1, true, 0xFFFFFFFFu, true, rows, true);
    }
    for (long n = 0; n < cycles; n++) {
        for (int b = 0; b < kBanks; b++) rows[b] = (int)(rng() % kRows);
        uint32_t en = rng() % 4 == 0 ? 0u : (uint32_t)rng();
        cycle(n, rng() % 8 != 0, en, rng() & 1u, rows, false);
    }
    printf("tb_smem: %s after %ld cycles: %ld bank reads and %ld bank writes checked in both branches\n",
           failures ? "FAIL" : "PASS", cycles, reads, writes);
    delete model;
    return failures ? 1 : 0;
}

// Testbench of the matrix unit's synthesis branch (tb_mma_unit.sv): random instructions of every
// kind (HMMA; PMMA and KMMA with INT2, INT4, INT8; random FP16 activations and words, zero points,
// FP32 C values with specials), back to back or with gaps, with model-clock stalls (adv_i low) and
// launches that clear an instruction in flight. In every cycle the synthesis branch's C requests and
// D groups (d_v, last, entry, quarters, tag, the drained sums) must equal the simulated unit's,
// which the rtlsim differential tests hold to the Java reference. Each instruction carries its own
// tag; one that runs to its end must ask for C and offer D exactly busy / 16 times under that tag,
// with `last` on its final D group only. Arguments: [instructions] [seed].
#include "Vtb_mma_unit.h"
#include "verilated.h"
#include <cstdio>
#include <cstdlib>
#include <map>
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

[[noreturn]] void fail(long cycle, const char* what, unsigned sim, unsigned syn) {
    fprintf(stderr, "tb_mma_unit: cycle %ld: %s: simulated %08x, synthesis branch %08x\n", cycle, what, sim, syn);
    exit(1);
}

struct Seen { int creq = 0, dgroups = 0, dlast = 0; bool last_was_final = true; };
}  // namespace

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    int count = argc > 1 ? atoi(argv[1]) : 28;
    rng.seed(argc > 2 ? (unsigned)atoi(argv[2]) : 1u);
    auto* model = new Vtb_mma_unit;                              // too large for the stack
    Vtb_mma_unit& t = *model;
    long cycle = 0;
    std::map<unsigned, Seen> seen;                               // by tag
    // The outputs of the cycle that ends at the next edge; the edge takes a request or a group
    // when it advances and does not clear (the core's rule).
    auto count_groups = [&](bool adv) {
        if (!adv || t.clear_i) return;
        if (t.c_req_o >> 15 & 1) seen[t.c_tag_o & 0xffffu].creq++;
        if (t.d_ctl_o >> 15 & 1) {
            Seen& s = seen[t.d_tag_o & 0xffffu];
            if (s.dlast) s.last_was_final = false;               // a group after the last one
            s.dgroups++;
            s.dlast += t.d_ctl_o >> 14 & 1;
        }
    };
    auto tick = [&](bool adv) {
        t.adv_i = adv;
        t.eval();
        count_groups(adv);
        t.clk_i = 1; t.eval();
        t.clk_i = 0; t.eval();
        cycle++;
        unsigned creq[2] = {t.c_req_o & 0xffffu, t.c_req_o >> 16}, ctag[2] = {t.c_tag_o & 0xffffu, t.c_tag_o >> 16};
        unsigned dctl[2] = {t.d_ctl_o & 0xffffu, t.d_ctl_o >> 16}, dtag[2] = {t.d_tag_o & 0xffffu, t.d_tag_o >> 16};
        if (creq[0] != creq[1]) fail(cycle, "C request {req, entry, quarters}", creq[0], creq[1]);
        if (dctl[0] != dctl[1]) fail(cycle, "D group {valid, last, entry, quarters}", dctl[0], dctl[1]);
        bool req = creq[0] >> 15, dv = dctl[0] >> 15;
        if (req && ctag[0] != ctag[1]) fail(cycle, "C request tag", ctag[0], ctag[1]);
        if (dv && dtag[0] != dtag[1]) fail(cycle, "D group tag", dtag[0], dtag[1]);
        for (int i = 0; i < 256; i++) {
            if (t.d_o[i] != t.d_o[256 + i]) {
                char what[64];
                snprintf(what, sizeof what, "d_o adder %d", i);
                fail(cycle, what, t.d_o[i], t.d_o[256 + i]);
            }
        }
    };
    t.rst_ni = 0; t.clk_i = 0; t.eval();
    t.rst_ni = 1; t.eval();
    int per_kind[7] = {};
    int cleared = 0;
    std::map<unsigned, int> expect;                              // tag -> groups, of completed instructions
    std::map<unsigned, bool> was_cleared;
    for (int n = 0; n < count; n++) {
        const Kind& k = kKinds[n < 7 ? n : rng() % 7];
        per_kind[&k - kKinds]++;
        unsigned tag = (unsigned)(n + 1) | (rng() & 0xff00u);
        for (int i = 0; i < 128; i++) t.a_i[i] = fp16_operand() | (uint32_t)fp16_operand() << 16;
        for (int i = 0; i < 128; i++) t.b_i[i] = k.kind == 0 ? fp16_operand() | (uint32_t)fp16_operand() << 16 : rng();
        for (int i = 0; i < 32; i++) t.z_i[i] = rng();
        for (int i = 0; i < 2048; i++) t.c_all_i[i] = n % 5 == 4 ? 0u : fp32_operand();   // some .z
        t.kind_i = k.kind; t.bsel_i = k.bsel; t.cpw_i = k.cpw; t.busy_i = k.busy; t.tag_i = tag;
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
        was_cleared[tag] = clear;
        expect[tag] = k.busy / 16;
        // Back to back (the next start right after the last F) or a few cycles apart.
        int gap = rng() % 3 == 0 ? 0 : (int)(rng() % 5);
        for (int g = 0; g < gap; g++) tick(rng() % 4 != 0);
    }
    for (int g = 0; g < 8; g++) tick(true);                      // the last instruction's A and drain
    int groups = 0;
    for (const auto& [tag, n] : expect) {
        const Seen& s = seen[tag];
        groups += s.dgroups;
        bool ok = was_cleared[tag] ? s.creq <= n && s.dgroups <= n && s.dlast == 0
                                   : s.creq == n && s.dgroups == n && s.dlast == 1 && s.last_was_final;
        if (!ok) {
            fprintf(stderr, "tb_mma_unit: tag %04x (%s, %d groups): %d C requests, %d D groups, %d last%s\n",
                    tag, was_cleared[tag] ? "cleared" : "completed", n, s.creq, s.dgroups, s.dlast,
                    s.last_was_final ? "" : ", a group after the last");
            return 1;
        }
    }
    if (seen.size() != expect.size()) {
        fprintf(stderr, "tb_mma_unit: groups under %zu tags for %zu instructions\n", seen.size(), expect.size());
        return 1;
    }
    printf("tb_mma_unit: %d instructions (", count);
    for (int i = 0; i < 7; i++) printf("%s%s %d", i ? ", " : "", kKinds[i].name, per_kind[i]);
    printf("; %d cleared), %ld cycles, %d D groups: synthesis branch equals the simulated unit\n",
           cleared, cycle, groups);
    delete model;
    return 0;
}

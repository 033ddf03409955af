// Testbench of the device shell (registers, command processor, completion records, interrupt,
// soft reset) through the harness's C interface, as a host driver would use it. Expected values
// are the ABI's (pacq_abi.h, generated from the ABI JSON) and the behaviour io.pacq.driver.LinkDevice
// relies on. Self-checking: exits 1 and names the failed check.
//
// usage: tb_shell [waveform.fst]
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "pacq_abi.h"
#include "pacq_rtlsim.h"

static int g_failures = 0;
static pacq_sim *g_sim = nullptr;

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        if (!(cond)) {                                                          \
            std::fprintf(stderr, "tb_shell: FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            std::fprintf(stderr, __VA_ARGS__);                                  \
            std::fprintf(stderr, "\n");                                         \
            g_failures++;                                                       \
        }                                                                       \
    } while (0)

static uint32_t rd(uint32_t off) {
    uint32_t v = 0;
    if (pacq_sim_reg_read(g_sim, off, &v)) {
        std::fprintf(stderr, "tb_shell: %s\n", pacq_sim_error(g_sim));
        std::exit(1);
    }
    return v;
}

static void wr(uint32_t off, uint32_t v) {
    if (pacq_sim_reg_write(g_sim, off, v)) {
        std::fprintf(stderr, "tb_shell: %s\n", pacq_sim_error(g_sim));
        std::exit(1);
    }
}

template <typename T>
static void put(std::vector<uint8_t> &b, size_t off, T v) {
    std::memcpy(&b[off], &v, sizeof v);
}

template <typename T>
static T get(const std::vector<uint8_t> &b, size_t off) {
    T v;
    std::memcpy(&v, &b[off], sizeof v);
    return v;
}

static const uint64_t kRing = 0x10000, kCpl = 0x20000;
static const uint32_t kEntries = 4;

static void submit(uint32_t count, uint8_t opcode, uint32_t seq, uint8_t flags) {
    std::vector<uint8_t> d(PACQ_DESC_BYTES, 0);
    d[PACQ_DESC_OPCODE] = opcode;
    d[PACQ_DESC_FLAGS] = flags;
    put<uint32_t>(d, PACQ_DESC_SEQ, seq);
    uint32_t slot = count % kEntries;
    pacq_sim_mem_write(g_sim, kRing + uint64_t(slot) * PACQ_DESC_BYTES, d.data(), d.size());
}

static std::vector<uint8_t> record(uint32_t count) {
    std::vector<uint8_t> r(PACQ_CPL_BYTES);
    pacq_sim_mem_read(g_sim, kCpl + uint64_t(count % kEntries) * PACQ_CPL_BYTES, r.data(), r.size());
    return r;
}

static void program_ring() {
    wr(PACQ_REG_RING_BASE_LO, uint32_t(kRing));
    wr(PACQ_REG_RING_BASE_HI, 0);
    wr(PACQ_REG_RING_ENTRIES, kEntries);
    wr(PACQ_REG_CPL_BASE_LO, uint32_t(kCpl));
    wr(PACQ_REG_CPL_BASE_HI, 0);
    wr(PACQ_REG_IRQ_STATUS, 0xFFFFFFFFu);
    wr(PACQ_REG_CTRL, PACQ_CTRL_ENABLE_MASK | PACQ_CTRL_IRQ_EN_MASK);
}

int main(int argc, char **argv) {
    g_sim = pacq_sim_create(argc > 1 ? (std::string("trace=") + argv[1]).c_str() : "");
    if (!g_sim) {
        std::fprintf(stderr, "tb_shell: %s\n", pacq_sim_error(nullptr));
        return 1;
    }
    std::printf("tb_shell: %s\n", pacq_sim_describe(g_sim));

    // Identity and capabilities.
    CHECK(rd(PACQ_REG_ID) == PACQ_MAGIC, "ID = 0x%08x", rd(PACQ_REG_ID));
    CHECK(rd(PACQ_REG_ABI_VERSION) == (PACQ_ABI_VERSION_MAJOR << 16 | PACQ_ABI_VERSION_MINOR), "ABI_VERSION");
    CHECK(rd(PACQ_REG_CAP_MODEL) == PACQ_MODEL_RTL_SIM, "CAP_MODEL = %u", rd(PACQ_REG_CAP_MODEL));
    CHECK(rd(PACQ_REG_CAP_OPCODES) == ((1u << PACQ_OPCODE_NOP) | (1u << PACQ_OPCODE_GEMM) | (1u << PACQ_OPCODE_LAUNCH)),
          "CAP_OPCODES = 0x%x", rd(PACQ_REG_CAP_OPCODES));
    CHECK(rd(PACQ_REG_CAP_CORES) == PACQ_DEFAULT_CORES && rd(PACQ_REG_CAP_WARPS) == PACQ_DEFAULT_WARPS &&
              rd(PACQ_REG_CAP_LANES) == PACQ_SIMT_LANES && rd(PACQ_REG_CAP_SMEM_BYTES) == PACQ_DEFAULT_SMEM_BYTES &&
              rd(PACQ_REG_CAP_MMA_UNITS) == PACQ_DEFAULT_MMA_UNITS,
          "machine capabilities");
    CHECK(rd(PACQ_REG_CAP_DMEM_LATENCY) == PACQ_DEFAULT_DMEM_LATENCY &&
              rd(PACQ_REG_CAP_DMEM_BW) == PACQ_DEFAULT_DMEM_BYTES_PER_CYCLE,
          "timing model capabilities %u %u", rd(PACQ_REG_CAP_DMEM_LATENCY), rd(PACQ_REG_CAP_DMEM_BW));
    CHECK(rd(PACQ_REG_CAP_BITS) == ((1u << 2) | (1u << 4) | (1u << 8)), "CAP_BITS = 0x%x", rd(PACQ_REG_CAP_BITS));
    uint32_t max_ring = rd(PACQ_REG_CAP_MAX_RING);
    CHECK(max_ring >= kEntries && (max_ring & (max_ring - 1)) == 0, "CAP_MAX_RING = %u", max_ring);
    uint64_t mem = (uint64_t(rd(PACQ_REG_CAP_MEM_HI)) << 32) | rd(PACQ_REG_CAP_MEM_LO);
    CHECK(mem == pacq_sim_mem_size(g_sim), "CAP_MEM %" PRIu64 " vs model %" PRIu64, mem, pacq_sim_mem_size(g_sim));
    CHECK(rd(0xFFC) == 0, "unknown offset reads non-zero");

    // Scratch and read-only registers.
    wr(PACQ_REG_SCRATCH, 0xA5A5F00Du);
    CHECK(rd(PACQ_REG_SCRATCH) == 0xA5A5F00Du, "SCRATCH");
    wr(PACQ_REG_ID, 0);
    CHECK(rd(PACQ_REG_ID) == PACQ_MAGIC, "ID writable");
    CHECK(rd(PACQ_REG_STATUS) == 0, "STATUS after reset = 0x%x", rd(PACQ_REG_STATUS));

    // Nothing runs while CTRL.ENABLE is clear.
    wr(PACQ_REG_RING_BASE_LO, uint32_t(kRing));
    wr(PACQ_REG_RING_ENTRIES, kEntries);
    wr(PACQ_REG_CPL_BASE_LO, uint32_t(kCpl));
    submit(0, PACQ_OPCODE_NOP, 100, 1u << PACQ_DESC_FLAGS_IRQ_BIT);
    wr(PACQ_REG_SQ_TAIL, 1);
    pacq_sim_run(g_sim, 500, 0);
    CHECK(rd(PACQ_REG_SQ_HEAD) == 0 && rd(PACQ_REG_CPL_COUNT) == 0, "device fetched while disabled");

    // NOPs around the ring (6 commands through 4 slots), with the interrupt.
    program_ring();
    CHECK(pacq_sim_wait_irq(g_sim, 10000) == 1, "no interrupt for the first NOP");
    CHECK(rd(PACQ_REG_CPL_COUNT) == 1, "CPL_COUNT = %u after one NOP", rd(PACQ_REG_CPL_COUNT));
    CHECK(rd(PACQ_REG_IRQ_STATUS) == PACQ_IRQ_STATUS_CPL_MASK, "IRQ_STATUS = 0x%x", rd(PACQ_REG_IRQ_STATUS));
    wr(PACQ_REG_IRQ_STATUS, PACQ_IRQ_STATUS_CPL_MASK);
    CHECK(rd(PACQ_REG_IRQ_STATUS) == 0 && !pacq_sim_irq(g_sim), "IRQ_STATUS not cleared by W1C");
    auto r0 = record(0);
    CHECK(get<uint32_t>(r0, PACQ_CPL_SEQ) == 100, "record seq %u", get<uint32_t>(r0, PACQ_CPL_SEQ));
    CHECK(get<uint32_t>(r0, PACQ_CPL_STATUS) == PACQ_STATUS_OK, "NOP status %u", get<uint32_t>(r0, PACQ_CPL_STATUS));
    // A NOP runs no kernel: 0 machine cycles, as the emulator reports (docs/simt.md 6.5).
    uint64_t nop_cycles = get<uint64_t>(r0, PACQ_CPL_CYCLES);
    CHECK(nop_cycles == 0, "NOP cycles %" PRIu64, nop_cycles);
    for (uint32_t c = 1; c < 6; c++) submit(c, PACQ_OPCODE_NOP, 100 + c, 1u << PACQ_DESC_FLAGS_IRQ_BIT);
    wr(PACQ_REG_SQ_TAIL, 4);  // only slots 1..3 are free until the first record was read
    pacq_sim_run(g_sim, 100000, PACQ_STOP_IDLE);
    CHECK(rd(PACQ_REG_CPL_COUNT) == 4, "CPL_COUNT = %u", rd(PACQ_REG_CPL_COUNT));
    for (uint32_t c = 4; c < 6; c++) submit(c, PACQ_OPCODE_NOP, 100 + c, 1u << PACQ_DESC_FLAGS_IRQ_BIT);
    wr(PACQ_REG_SQ_TAIL, 6);
    pacq_sim_run(g_sim, 100000, PACQ_STOP_IDLE);
    CHECK(rd(PACQ_REG_SQ_HEAD) == 6 && rd(PACQ_REG_CPL_COUNT) == 6, "after 6 NOPs head %u count %u",
          rd(PACQ_REG_SQ_HEAD), rd(PACQ_REG_CPL_COUNT));
    for (uint32_t c = 4; c < 6; c++) {
        auto r = record(c);
        CHECK(get<uint32_t>(r, PACQ_CPL_SEQ) == 100 + c, "record %u seq %u", c, get<uint32_t>(r, PACQ_CPL_SEQ));
        CHECK(get<uint64_t>(r, PACQ_CPL_CYCLES) == nop_cycles, "NOP %u took %" PRIu64 " cycles, the first %" PRIu64,
              c, get<uint64_t>(r, PACQ_CPL_CYCLES), nop_cycles);
    }
    uint32_t lo = rd(PACQ_REG_CYCLES_LO);
    CHECK(lo == 6 * nop_cycles && rd(PACQ_REG_CYCLES_HI) == 0, "CYCLES = %u, expected %" PRIu64, lo, 6 * nop_cycles);
    CHECK((rd(PACQ_REG_STATUS) & PACQ_STATUS_BUSY_MASK) == 0, "BUSY while idle");

    // A command without FLAGS.IRQ completes without raising IRQ_STATUS.CPL.
    wr(PACQ_REG_IRQ_STATUS, 0xFFFFFFFFu);
    submit(6, PACQ_OPCODE_NOP, 106, 0);
    wr(PACQ_REG_SQ_TAIL, 7);
    pacq_sim_run(g_sim, 100000, PACQ_STOP_IDLE);
    CHECK(rd(PACQ_REG_CPL_COUNT) == 7 && rd(PACQ_REG_IRQ_STATUS) == 0, "no-IRQ NOP: count %u irq 0x%x",
          rd(PACQ_REG_CPL_COUNT), rd(PACQ_REG_IRQ_STATUS));

    // An unknown opcode fails with BAD_OPCODE; the first failure is latched.
    submit(7, 0x7F, 107, 1u << PACQ_DESC_FLAGS_IRQ_BIT);
    submit(8, 0x55, 108, 1u << PACQ_DESC_FLAGS_IRQ_BIT);
    wr(PACQ_REG_SQ_TAIL, 9);
    pacq_sim_run(g_sim, 100000, PACQ_STOP_IDLE);
    auto rb = record(7);
    CHECK(get<uint32_t>(rb, PACQ_CPL_STATUS) == PACQ_STATUS_BAD_OPCODE, "bad opcode status %u",
          get<uint32_t>(rb, PACQ_CPL_STATUS));
    CHECK(get<uint64_t>(rb, PACQ_CPL_ERR_INFO) == 0x7F, "bad opcode info %" PRIu64, get<uint64_t>(rb, PACQ_CPL_ERR_INFO));
    CHECK(rd(PACQ_REG_STATUS) & PACQ_STATUS_ERROR_MASK, "STATUS.ERROR not set");
    CHECK(rd(PACQ_REG_ERR_CODE) == PACQ_STATUS_BAD_OPCODE && rd(PACQ_REG_ERR_INFO) == 0x7F,
          "ERR_CODE %u ERR_INFO 0x%x (the first failure)", rd(PACQ_REG_ERR_CODE), rd(PACQ_REG_ERR_INFO));
    CHECK(rd(PACQ_REG_IRQ_STATUS) == (PACQ_IRQ_STATUS_CPL_MASK | PACQ_IRQ_STATUS_ERR_MASK), "IRQ_STATUS 0x%x",
          rd(PACQ_REG_IRQ_STATUS));

    // Soft reset: SOFT_RESET reads 1 until done, then the ring state, counters and errors are 0.
    wr(PACQ_REG_CTRL, PACQ_CTRL_SOFT_RESET_MASK);
    int polls = 0;
    while ((rd(PACQ_REG_CTRL) & PACQ_CTRL_SOFT_RESET_MASK) && polls < 100) polls++;
    CHECK(polls < 100, "soft reset did not finish");
    CHECK(rd(PACQ_REG_CTRL) == 0 && rd(PACQ_REG_SQ_HEAD) == 0 && rd(PACQ_REG_SQ_TAIL) == 0 &&
              rd(PACQ_REG_CPL_COUNT) == 0 && rd(PACQ_REG_STATUS) == 0 && rd(PACQ_REG_ERR_CODE) == 0 &&
              rd(PACQ_REG_IRQ_STATUS) == 0 && rd(PACQ_REG_CYCLES_LO) == 0,
          "state after soft reset");
    CHECK(!pacq_sim_irq(g_sim), "interrupt after soft reset");

    // Soft reset while a command is being fetched: no completion, the ring restarts at 0.
    program_ring();
    for (uint32_t c = 0; c < 3; c++) submit(c, PACQ_OPCODE_NOP, 200 + c, 1u << PACQ_DESC_FLAGS_IRQ_BIT);
    std::vector<uint8_t> zero(PACQ_CPL_BYTES * kEntries, 0);
    pacq_sim_mem_write(g_sim, kCpl, zero.data(), zero.size());
    wr(PACQ_REG_SQ_TAIL, 3);
    wr(PACQ_REG_CTRL, PACQ_CTRL_SOFT_RESET_MASK);
    polls = 0;
    while ((rd(PACQ_REG_CTRL) & PACQ_CTRL_SOFT_RESET_MASK) && polls < 100) polls++;
    CHECK(polls < 100 && rd(PACQ_REG_CPL_COUNT) == 0 && rd(PACQ_REG_SQ_HEAD) == 0, "reset during fetch");
    program_ring();
    submit(0, PACQ_OPCODE_NOP, 300, 1u << PACQ_DESC_FLAGS_IRQ_BIT);
    wr(PACQ_REG_SQ_TAIL, 1);
    CHECK(pacq_sim_wait_irq(g_sim, 10000) == 1 && rd(PACQ_REG_CPL_COUNT) == 1 &&
              get<uint32_t>(record(0), PACQ_CPL_SEQ) == 300,
          "device unusable after a reset during a fetch");

    // Backdoor bounds.
    uint8_t b = 0;
    CHECK(pacq_sim_mem_read(g_sim, pacq_sim_mem_size(g_sim), &b, 1) == -1, "read past the end accepted");
    CHECK(pacq_sim_reg_read(g_sim, 0x1000, nullptr) == -1, "register offset past the window accepted");
    CHECK(pacq_sim_check(g_sim) == 0, "AXI protocol: %s", pacq_sim_error(g_sim));

    std::printf("tb_shell: %s after %" PRIu64 " cycles (%d failures)\n", g_failures ? "FAIL" : "PASS",
                pacq_sim_cycles(g_sim), g_failures);
    pacq_sim_destroy(g_sim);
    return g_failures ? 1 : 0;
}

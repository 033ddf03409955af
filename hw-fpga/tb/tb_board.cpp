// Testbench of the board wrapper (board/pacq_xdma_wrap.v) with a model of the XDMA side:
//   - the PCIe-to-AXI-Lite master (M_AXI_LITE, BAR1): the host's register accesses, with the BAR
//     base in the upper address bits (the wrapper must ignore them) and AW/W in the same cycle;
//   - the host's H2C DMA into card memory: writes into the DDR model (AxiMem) behind m_axi;
//   - the user interrupt: usr_irq_ack pulses kAckDelay cycles after each edge of usr_irq_req.
// The host is a replay of what the Java driver (LinkDevice) did for two GEMMs on the cycle-level
// model (tb/gen/BoardTrace.java): register writes and memory writes replayed, register reads
// repeated until they return the recorded value (the driver polled them until then), memory reads
// (completion records, results) checked byte for byte, interrupt waits satisfied by usr_irq_req.
// The capability registers that differ on a board (CAP_MODEL = FPGA) are checked separately.
// Self-checking: exits 1 and names the failed check.
//
// usage: tb_board <trace> [waveform.fst]
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "Vpacq_xdma_wrap.h"
#include "axi_mem.h"
#include "pacq_abi.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {

const uint32_t kBarBase = 0xABC00000u;   // what the XDMA leaves in the upper M_AXI_LITE address bits
const unsigned kAckDelay = 3;
const uint64_t kTimeout = 2000000;

std::unique_ptr<VerilatedContext> ctx;
std::unique_ptr<Vpacq_xdma_wrap> top;
std::unique_ptr<VerilatedFstC> wave;
std::unique_ptr<pacq::AxiMem> mem;
uint64_t cycles = 0;
int failures = 0;
unsigned irq_edges = 0, acks_sent = 0;
bool last_req = false;
std::vector<unsigned> ack_due;

#define CHECK(cond, ...)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "tb_board: FAIL line %d: %s: ", __LINE__, #cond);            \
            std::fprintf(stderr, __VA_ARGS__);                                                \
            std::fprintf(stderr, "\n");                                                       \
            failures++;                                                                       \
        }                                                                                     \
    } while (0)

// Host-side AXI-Lite master state (driven at the falling edge, sampled by the DUT at the rising).
struct Lite {
    bool awvalid = false, wvalid = false, bready = false, arvalid = false, rready = false;
    uint32_t awaddr = 0, wdata = 0, araddr = 0;
} lite;

void tick() {
    pacq::AxiSlaveSignals so;
    mem->drive(so);
    Vpacq_xdma_wrap &d = *top;
    d.m_axi_arready = so.arready;
    d.m_axi_rvalid = so.rvalid;
    d.m_axi_rlast = so.rlast;
    d.m_axi_rid = so.rid;
    d.m_axi_rresp = 0;
    for (int i = 0; i < 16; i++) d.m_axi_rdata[i] = so.rdata[i];
    d.m_axi_awready = so.awready;
    d.m_axi_wready = so.wready;
    d.m_axi_bvalid = so.bvalid;
    d.m_axi_bid = so.bid;
    d.m_axi_bresp = 0;
    d.s_axil_awvalid = lite.awvalid;
    d.s_axil_awaddr = kBarBase | lite.awaddr;
    d.s_axil_awprot = 0;
    d.s_axil_wvalid = lite.wvalid;
    d.s_axil_wdata = lite.wdata;
    d.s_axil_wstrb = 0xF;
    d.s_axil_bready = lite.bready;
    d.s_axil_arvalid = lite.arvalid;
    d.s_axil_araddr = kBarBase | lite.araddr;
    d.s_axil_arprot = 0;
    d.s_axil_rready = lite.rready;
    // The XDMA acknowledges each edge of usr_irq_req after a few cycles.
    d.usr_irq_ack = 0;
    for (auto it = ack_due.begin(); it != ack_due.end();) {
        if (--*it == 0) {
            d.usr_irq_ack = 1;
            acks_sent++;
            it = ack_due.erase(it);
        } else {
            ++it;
        }
    }
    d.axi_aclk = 0;
    d.eval();
    if (wave) wave->dump(cycles * 2);

    pacq::AxiMasterSignals mo;
    uint32_t wdata[16], wstrb[2];
    mo.arvalid = d.m_axi_arvalid;
    mo.araddr = d.m_axi_araddr;
    mo.arlen = d.m_axi_arlen;
    mo.arsize = d.m_axi_arsize;
    mo.arburst = d.m_axi_arburst;
    mo.arid = d.m_axi_arid;
    mo.rready = d.m_axi_rready;
    mo.awvalid = d.m_axi_awvalid;
    mo.awaddr = d.m_axi_awaddr;
    mo.awlen = d.m_axi_awlen;
    mo.awsize = d.m_axi_awsize;
    mo.awburst = d.m_axi_awburst;
    mo.awid = d.m_axi_awid;
    mo.wvalid = d.m_axi_wvalid;
    mo.wlast = d.m_axi_wlast;
    for (int i = 0; i < 16; i++) wdata[i] = d.m_axi_wdata[i];
    wstrb[0] = static_cast<uint32_t>(d.m_axi_wstrb);
    wstrb[1] = static_cast<uint32_t>(d.m_axi_wstrb >> 32);
    mo.wdata = wdata;
    mo.wstrb = wstrb;
    mo.bready = d.m_axi_bready;
    d.axi_aclk = 1;
    d.eval();
    mem->edge(mo);
    cycles++;
    if (wave) wave->dump(cycles * 2 - 1);
    if (d.usr_irq_req != last_req) {
        if (d.usr_irq_req) irq_edges++;
        ack_due.push_back(kAckDelay);
        last_req = d.usr_irq_req;
    }
}

[[noreturn]] void die(const char *what) {
    std::fprintf(stderr, "tb_board: FAIL %s (cycle %" PRIu64 ")\n", what, cycles);
    if (wave) wave->close();
    std::exit(1);
}

uint32_t reg_read(uint32_t off) {
    lite.arvalid = true;
    lite.araddr = off;
    uint64_t start = cycles;
    while (lite.arvalid) {
        bool ready = top->s_axil_arready;   // sampled before the edge that takes it
        tick();
        if (ready) lite.arvalid = false;
        if (cycles - start > 1000) die("AXI-Lite read: no ARREADY");
    }
    lite.rready = true;
    while (!top->s_axil_rvalid) {
        tick();
        if (cycles - start > 1000) die("AXI-Lite read: no RVALID");
    }
    uint32_t v = top->s_axil_rdata;
    CHECK(top->s_axil_rresp == 0, "RRESP %u at 0x%x", top->s_axil_rresp, off);
    tick();
    lite.rready = false;
    return v;
}

void reg_write(uint32_t off, uint32_t v) {
    lite.awvalid = lite.wvalid = true;   // AW and W together, as the XDMA bridge issues them
    lite.awaddr = off;
    lite.wdata = v;
    lite.bready = true;
    uint64_t start = cycles;
    bool bdone = false;
    while (lite.awvalid || lite.wvalid || !bdone) {
        bool aw = top->s_axil_awready, w = top->s_axil_wready, b = top->s_axil_bvalid;
        if (b && lite.bready && !lite.awvalid && !lite.wvalid) {
            CHECK(top->s_axil_bresp == 0, "BRESP %u at 0x%x", top->s_axil_bresp, off);
            bdone = true;
        }
        tick();
        if (aw) lite.awvalid = false;
        if (w) lite.wvalid = false;
        if (cycles - start > 1000) die("AXI-Lite write: no response");
    }
    lite.bready = false;
}

std::vector<uint8_t> unhex(const std::string &s) {
    std::vector<uint8_t> b(s.size() / 2);
    for (size_t i = 0; i < b.size(); i++) b[i] = static_cast<uint8_t>(std::stoul(s.substr(2 * i, 2), nullptr, 16));
    return b;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: tb_board <trace> [waveform.fst]\n");
        return 2;
    }
    ctx = std::make_unique<VerilatedContext>();
    ctx->traceEverOn(argc > 2);
    top = std::make_unique<Vpacq_xdma_wrap>(ctx.get(), "pacq_xdma_wrap");
    if (argc > 2) {
        wave = std::make_unique<VerilatedFstC>();
        top->trace(wave.get(), 99);
        wave->open(argv[2]);
    }
    mem = std::make_unique<pacq::AxiMem>(uint64_t(4) << 30, 512, 2, 2);
    top->axi_aresetn = 0;
    for (int i = 0; i < 4; i++) tick();
    top->axi_aresetn = 1;
    for (int i = 0; i < 4; i++) tick();

    // The board identifies itself as an FPGA; everything else is the ABI's.
    CHECK(reg_read(PACQ_REG_ID) == PACQ_MAGIC, "ID");
    CHECK(reg_read(PACQ_REG_CAP_MODEL) == PACQ_MODEL_FPGA, "CAP_MODEL = %u", reg_read(PACQ_REG_CAP_MODEL));
    CHECK(!top->usr_irq_req, "interrupt after reset");

    std::ifstream in(argv[1]);
    if (!in) die("cannot read the trace");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    unsigned n = 0, reads = 0, waits = 0, checked = 0;
    for (size_t li = 0; li < lines.size(); li++) {
        const std::string &line = lines[li];
        std::istringstream ls(line);
        std::string op, a, b;
        ls >> op >> a >> b;
        n++;
        if (op == "W") {
            reg_write(static_cast<uint32_t>(std::stoul(a, nullptr, 16)), static_cast<uint32_t>(std::stoul(b, nullptr, 16)));
        } else if (op == "R") {
            uint32_t off = static_cast<uint32_t>(std::stoul(a, nullptr, 16));
            uint32_t want = static_cast<uint32_t>(std::stoul(b, nullptr, 16));
            if (off == PACQ_REG_CAP_MODEL) continue;
            // A value the driver saw in a polling loop (the same register read again next) is
            // transient: the RTL may be past it already.
            if (li + 1 < lines.size() && lines[li + 1].rfind("R " + a + " ", 0) == 0) continue;
            uint64_t start = cycles;
            uint32_t v;
            while ((v = reg_read(off)) != want) {
                if (cycles - start > kTimeout) {
                    std::fprintf(stderr, "tb_board: FAIL trace line %u: register 0x%x = 0x%x, the model read 0x%x\n", n,
                                 off, v, want);
                    failures++;
                    break;
                }
            }
            reads++;
        } else if (op == "M") {
            auto bytes = unhex(b);
            mem->write(std::stoull(a, nullptr, 16), bytes.data(), bytes.size());
        } else if (op == "D") {
            auto want = unhex(b);
            std::vector<uint8_t> got(want.size());
            mem->read(std::stoull(a, nullptr, 16), got.data(), got.size());
            size_t i = 0;
            while (i < want.size() && got[i] == want[i]) i++;
            CHECK(i == want.size(), "trace line %u: memory at 0x%s + %zu = 0x%02x, expected 0x%02x", n, a.c_str(), i,
                  got[i], want[i]);
            checked += static_cast<unsigned>(want.size());
        } else if (op == "I") {
            uint64_t start = cycles;
            while (!top->usr_irq_req) {
                tick();
                if (cycles - start > kTimeout) die("no usr_irq_req");
            }
            waits++;
        }
    }
    // The driver cleared IRQ_STATUS after each wait: the request must be low and every edge acked.
    for (int i = 0; i < 20; i++) tick();
    CHECK(!top->usr_irq_req, "usr_irq_req still high after IRQ_STATUS was cleared");
    CHECK(waits == 2 && irq_edges == 2, "interrupts: %u waits, %u rising edges of usr_irq_req", waits, irq_edges);
    CHECK(top->irq_acks_o == acks_sent && acks_sent == 2 * irq_edges, "irq_acks_o %u, acks sent %u", top->irq_acks_o,
          acks_sent);
    CHECK(mem->protocol_error().empty(), "AXI protocol: %s", mem->protocol_error().c_str());
    CHECK(checked > 0, "nothing checked");
    std::printf("tb_board: %s: %u trace calls (%u register reads matched, %u interrupts, %u bytes checked) in %" PRIu64
                " cycles (%d failures)\n",
                failures ? "FAIL" : "PASS", n, reads, waits, checked, cycles, failures);
    if (wave) wave->close();
    top->final();
    return failures ? 1 : 0;
}

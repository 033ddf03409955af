// pacq_rtlsim: implementation of the C interface in pacq_rtlsim.h around the Verilated pacq_top.
//
// One cycle (tick):
//   1. the memory model and the AXI4-Lite host set their outputs (from their own state only);
//   2. clk low, eval: the DUT's combinational outputs settle;
//   3. sample the DUT's master outputs and the AXI4-Lite responses;
//   4. clk high, eval: the rising edge; the models commit the handshakes seen in 3.
// Inputs never depend combinationally on outputs of the same cycle, so there is no loop.
#include "pacq_rtlsim.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "Vpacq_top.h"
#include "axi_mem.h"
#include "pacq_abi.h"
#include "verilated.h"
#include "verilated_fst_c.h"

// The AXI memory behind the device is ideal and fast; the machine's own device-memory timing
// model (dmemlat, dmembw: docs/simt.md 6.3) runs inside the RTL and only needs the memory to be
// at least that fast (a slower one freezes model time, it does not change cycle counts).
#ifndef PACQ_RD_LATENCY
#define PACQ_RD_LATENCY 2
#endif
#ifndef PACQ_WR_LATENCY
#define PACQ_WR_LATENCY 2
#endif

namespace {

thread_local std::string g_create_error;

// Verilated port of `bits` bits as 32-bit words, whatever C type Verilator chose for it.
template <typename T>
inline void to_words(const T &v, uint32_t *w, unsigned words) {
    if constexpr (sizeof(T) <= 4) {
        w[0] = static_cast<uint32_t>(v);
    } else if constexpr (sizeof(T) == 8) {
        w[0] = static_cast<uint32_t>(v);
        if (words > 1) w[1] = static_cast<uint32_t>(v >> 32);
    } else {
        for (unsigned i = 0; i < words; i++) w[i] = v[i];
    }
}

template <typename T>
inline void from_words(T &v, const uint32_t *w, unsigned words) {
    if constexpr (sizeof(T) <= 4) {
        v = w[0];
    } else if constexpr (sizeof(T) == 8) {
        v = (static_cast<uint64_t>(words > 1 ? w[1] : 0) << 32) | w[0];
    } else {
        for (unsigned i = 0; i < words; i++) v[i] = w[i];
    }
}

}  // namespace

struct pacq_sim {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vpacq_top> top;
    std::unique_ptr<pacq::AxiMem> mem;
    std::unique_ptr<VerilatedFstC> trace;
    std::string trace_path;
    std::string error;
    std::string description;
    uint64_t cycles = 0;
    unsigned data_words = 0;
    unsigned dmem_latency = PACQ_DEFAULT_DMEM_LATENCY;
    unsigned dmem_bw = PACQ_DEFAULT_DMEM_BYTES_PER_CYCLE;
    std::vector<uint32_t> wdata, wstrb;

    // AXI4-Lite host state: what it drives this cycle.
    bool awvalid = false, wvalid = false, bready = false, arvalid = false, rready = false;
    uint32_t awaddr = 0, wdata_l = 0, araddr = 0;

    // Sampled this cycle.
    bool s_awready = false, s_bvalid = false, s_arready = false, s_rvalid = false;
    uint32_t s_rdata = 0;

    void set_error(const char *fmt, ...) {
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        error = buf;
    }

    void dump(uint64_t t) {
        if (trace) trace->dump(t);
    }

    void tick() {
        // The RTL's checks ($error) and scopes act on the thread's context: make it this model's
        // (the calling thread may have run another model last).
        Verilated::threadContextp(ctx.get());
        pacq::AxiSlaveSignals so;
        mem->drive(so);
        Vpacq_top &d = *top;
        d.cfg_dmem_latency_i = dmem_latency;
        d.cfg_dmem_bw_i = dmem_bw;
        d.m_axi_arready_i = so.arready;
        d.m_axi_rvalid_i = so.rvalid;
        d.m_axi_rlast_i = so.rlast;
        d.m_axi_rid_i = so.rid;
        d.m_axi_rresp_i = 0;
        from_words(d.m_axi_rdata_i, so.rdata.data(), data_words);
        d.m_axi_awready_i = so.awready;
        d.m_axi_wready_i = so.wready;
        d.m_axi_bvalid_i = so.bvalid;
        d.m_axi_bid_i = so.bid;
        d.m_axi_bresp_i = 0;

        d.s_axil_awvalid_i = awvalid;
        d.s_axil_awaddr_i = awaddr;
        d.s_axil_wvalid_i = wvalid;
        d.s_axil_wdata_i = wdata_l;
        d.s_axil_wstrb_i = 0xF;
        d.s_axil_bready_i = bready;
        d.s_axil_arvalid_i = arvalid;
        d.s_axil_araddr_i = araddr;
        d.s_axil_rready_i = rready;

        d.clk_i = 0;
        d.eval();
        dump(cycles * 2);

        pacq::AxiMasterSignals mo;
        mo.arvalid = d.m_axi_arvalid_o;
        mo.araddr = d.m_axi_araddr_o;
        mo.arlen = d.m_axi_arlen_o;
        mo.arsize = d.m_axi_arsize_o;
        mo.arburst = d.m_axi_arburst_o;
        mo.arid = d.m_axi_arid_o;
        mo.rready = d.m_axi_rready_o;
        mo.awvalid = d.m_axi_awvalid_o;
        mo.awaddr = d.m_axi_awaddr_o;
        mo.awlen = d.m_axi_awlen_o;
        mo.awsize = d.m_axi_awsize_o;
        mo.awburst = d.m_axi_awburst_o;
        mo.awid = d.m_axi_awid_o;
        mo.wvalid = d.m_axi_wvalid_o;
        mo.wlast = d.m_axi_wlast_o;
        to_words(d.m_axi_wdata_o, wdata.data(), data_words);
        to_words(d.m_axi_wstrb_o, wstrb.data(), static_cast<unsigned>(wstrb.size()));
        mo.wdata = wdata.data();
        mo.wstrb = wstrb.data();
        mo.bready = d.m_axi_bready_o;

        s_awready = d.s_axil_awready_o;
        s_bvalid = d.s_axil_bvalid_o;
        s_arready = d.s_axil_arready_o;
        s_rvalid = d.s_axil_rvalid_o;
        s_rdata = d.s_axil_rdata_o;

        d.clk_i = 1;
        d.eval();
        mem->edge(mo);
        cycles++;
        dump(cycles * 2 - 1);
    }

    bool idle() const { return top->idle_o; }
    bool irq() const { return top->irq_o; }
};

extern "C" {

int pacq_sim_api_version(void) { return PACQ_RTLSIM_API_VERSION; }

const char *pacq_sim_error(const pacq_sim *sim) {
    return sim ? sim->error.c_str() : g_create_error.c_str();
}

const char *pacq_sim_describe(const pacq_sim *sim) { return sim->description.c_str(); }

void pacq_sim_reset(pacq_sim *sim) {
    sim->awvalid = sim->wvalid = sim->bready = sim->arvalid = sim->rready = false;
    sim->top->rst_ni = 0;
    for (int i = 0; i < 4; i++) sim->tick();
    sim->top->rst_ni = 1;
    sim->tick();
}

pacq_sim *pacq_sim_create(const char *options) {
    unsigned rd = PACQ_RD_LATENCY, wr = PACQ_WR_LATENCY;
    unsigned lat = PACQ_DEFAULT_DMEM_LATENCY, bw = PACQ_DEFAULT_DMEM_BYTES_PER_CYCLE;
    std::string trace;
    std::string opts = options ? options : "";
    size_t pos = 0;
    while (pos < opts.size()) {
        size_t end = opts.find(',', pos);
        if (end == std::string::npos) end = opts.size();
        std::string kv = opts.substr(pos, end - pos);
        pos = end + 1;
        if (kv.empty()) continue;
        size_t eq = kv.find('=');
        std::string key = kv.substr(0, eq);
        std::string val = eq == std::string::npos ? "" : kv.substr(eq + 1);
        char *rest = nullptr;
        unsigned long n = std::strtoul(val.c_str(), &rest, 10);
        bool num = !val.empty() && rest && *rest == '\0' && n >= 1 && n <= 100000;
        if (key == "rd_latency" && num) {
            rd = static_cast<unsigned>(n);
        } else if (key == "wr_latency" && num) {
            wr = static_cast<unsigned>(n);
        } else if (key == "dmemlat" && num && n <= 1000) {
            lat = static_cast<unsigned>(n);
        } else if (key == "dmembw" && num && (n == 8 || n == 16 || n == 32 || n == 64)) {
            bw = static_cast<unsigned>(n);
        } else if (key == "trace" && !val.empty()) {
            trace = val;
        } else {
            g_create_error = "pacq_sim_create: bad option '" + kv +
                             "'; expected dmemlat=1..1000, dmembw=8|16|32|64, rd_latency=1..100000, "
                             "wr_latency=1..100000 or trace=PATH";
            return nullptr;
        }
    }
    auto sim = std::make_unique<pacq_sim>();
    sim->dmem_latency = lat;
    sim->dmem_bw = bw;
    sim->ctx = std::make_unique<VerilatedContext>();
    sim->ctx->traceEverOn(true);
    sim->ctx->fatalOnError(false);   // a failed RTL check is reported by pacq_sim_check
    Verilated::threadContextp(sim->ctx.get());
    sim->top = std::make_unique<Vpacq_top>(sim->ctx.get(), "pacq_top");
    sim->data_words = sizeof(sim->top->m_axi_wdata_o) <= 4 ? 1 : sizeof(sim->top->m_axi_wdata_o) / 4;
    sim->wdata.assign(sim->data_words, 0);
    sim->wstrb.assign((sim->data_words * 4 + 31) / 32, 0);   // one strobe bit per byte
    // The memory size is the RTL's CAP_MEM: read it through the register port after reset, with
    // a provisional model that is replaced before any burst can reach it.
    sim->mem = std::make_unique<pacq::AxiMem>(0, sim->data_words * 32, rd, wr);
    pacq_sim_reset(sim.get());
    uint32_t lo = 0, hi = 0;
    if (pacq_sim_reg_read(sim.get(), PACQ_REG_CAP_MEM_LO, &lo) || pacq_sim_reg_read(sim.get(), PACQ_REG_CAP_MEM_HI, &hi)) {
        g_create_error = "pacq_sim_create: " + sim->error;
        return nullptr;
    }
    uint64_t size = (uint64_t(hi) << 32) | lo;
    sim->mem = std::make_unique<pacq::AxiMem>(size, sim->data_words * 32, rd, wr);
    char desc[256];
    std::snprintf(desc, sizeof desc,
                  "Verilated PacQ RTL (Verilator %s): device memory %llu MiB, timing model %u cycles "
                  "latency %u B/cycle; AXI4 %u-bit, read latency %u, write latency %u cycles",
                  Verilated::productVersion(), static_cast<unsigned long long>(size >> 20), lat, bw,
                  sim->data_words * 32, rd, wr);
    sim->description = desc;
    if (!trace.empty() && pacq_sim_trace(sim.get(), trace.c_str())) {
        g_create_error = "pacq_sim_create: " + sim->error;
        return nullptr;
    }
    return sim.release();
}

void pacq_sim_destroy(pacq_sim *sim) {
    if (!sim) return;
    Verilated::threadContextp(sim->ctx.get());
    if (sim->trace) sim->trace->close();
    sim->top->final();
    delete sim;
}

static constexpr uint64_t kRegTimeout = 10000;  // cycles: a register access that takes longer is a bug

int pacq_sim_reg_read(pacq_sim *sim, uint32_t offset, uint32_t *value) {
    if (offset >= PACQ_REG_WINDOW_BYTES || offset % 4) {
        sim->set_error("register offset 0x%x is outside the %u-byte window or not 4-byte aligned", offset,
                       PACQ_REG_WINDOW_BYTES);
        return -1;
    }
    sim->arvalid = true;
    sim->araddr = offset;
    uint64_t start = sim->cycles;
    while (sim->arvalid) {
        sim->tick();
        if (sim->s_arready) sim->arvalid = false;
        if (sim->cycles - start > kRegTimeout) goto timeout;
    }
    sim->rready = true;
    while (true) {
        sim->tick();
        if (sim->s_rvalid) break;
        if (sim->cycles - start > kRegTimeout) goto timeout;
    }
    *value = sim->s_rdata;
    sim->rready = false;
    return 0;
timeout:
    sim->arvalid = sim->rready = false;
    sim->set_error("register read at 0x%x got no response within %llu cycles", offset,
                   static_cast<unsigned long long>(kRegTimeout));
    return -1;
}

int pacq_sim_reg_write(pacq_sim *sim, uint32_t offset, uint32_t value) {
    if (offset >= PACQ_REG_WINDOW_BYTES || offset % 4) {
        sim->set_error("register offset 0x%x is outside the %u-byte window or not 4-byte aligned", offset,
                       PACQ_REG_WINDOW_BYTES);
        return -1;
    }
    sim->awvalid = sim->wvalid = true;
    sim->awaddr = offset;
    sim->wdata_l = value;
    uint64_t start = sim->cycles;
    while (sim->awvalid) {
        sim->tick();
        if (sim->s_awready) sim->awvalid = sim->wvalid = false;  // AW and W are taken together
        if (sim->cycles - start > kRegTimeout) goto timeout;
    }
    sim->bready = true;
    while (true) {
        sim->tick();
        if (sim->s_bvalid) break;
        if (sim->cycles - start > kRegTimeout) goto timeout;
    }
    sim->bready = false;
    return 0;
timeout:
    sim->awvalid = sim->wvalid = sim->bready = false;
    sim->set_error("register write at 0x%x got no response within %llu cycles", offset,
                   static_cast<unsigned long long>(kRegTimeout));
    return -1;
}

int pacq_sim_mem_write(pacq_sim *sim, uint64_t address, const void *src, uint64_t length) {
    if (!sim->mem->contains(address, length)) {
        sim->set_error("device-memory write of %llu bytes at 0x%llx is outside the %llu-byte memory",
                       static_cast<unsigned long long>(length), static_cast<unsigned long long>(address),
                       static_cast<unsigned long long>(sim->mem->size()));
        return -1;
    }
    sim->mem->write(address, src, length);
    return 0;
}

int pacq_sim_mem_read(pacq_sim *sim, uint64_t address, void *dst, uint64_t length) {
    if (!sim->mem->contains(address, length)) {
        sim->set_error("device-memory read of %llu bytes at 0x%llx is outside the %llu-byte memory",
                       static_cast<unsigned long long>(length), static_cast<unsigned long long>(address),
                       static_cast<unsigned long long>(sim->mem->size()));
        return -1;
    }
    sim->mem->read(address, dst, length);
    return 0;
}

uint64_t pacq_sim_mem_size(const pacq_sim *sim) { return sim->mem->size(); }

uint64_t pacq_sim_run(pacq_sim *sim, uint64_t max_cycles, uint32_t stop) {
    uint64_t n = 0;
    while (n < max_cycles) {
        if ((stop & PACQ_STOP_IDLE) && sim->idle()) break;
        if ((stop & PACQ_STOP_IRQ) && sim->irq()) break;
        if (sim->ctx->gotError()) break;
        sim->tick();
        n++;
    }
    return n;
}

int pacq_sim_irq(const pacq_sim *sim) { return sim->irq() ? 1 : 0; }

int pacq_sim_wait_irq(pacq_sim *sim, uint64_t max_cycles) {
    pacq_sim_run(sim, max_cycles, PACQ_STOP_IRQ);
    return sim->irq() ? 1 : 0;
}

uint64_t pacq_sim_cycles(const pacq_sim *sim) { return sim->cycles; }

int pacq_sim_check(pacq_sim *sim) {
    if (sim->ctx->gotError()) {
        sim->set_error("an RTL check failed by cycle %llu (its message is on standard output)",
                       static_cast<unsigned long long>(sim->cycles));
        return -1;
    }
    if (sim->mem->protocol_error().empty()) return 0;
    sim->error = sim->mem->protocol_error();
    return -1;
}

int pacq_sim_trace(pacq_sim *sim, const char *path) {
    if (sim->trace) {
        sim->trace->close();
        sim->trace.reset();
        sim->trace_path.clear();
    }
    if (!path) return 0;
    sim->trace = std::make_unique<VerilatedFstC>();
    sim->top->trace(sim->trace.get(), 99);
    sim->trace->open(path);
    if (!sim->trace->isOpen()) {
        sim->trace.reset();
        sim->set_error("cannot open waveform file %s", path);
        return -1;
    }
    sim->trace_path = path;
    return 0;
}

}  // extern "C"

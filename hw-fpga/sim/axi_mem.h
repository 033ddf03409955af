// AxiMem: the device-memory model behind the AXI4 master of pacq_top (and of the board wrapper's
// DDR port in its testbench). A sparse byte array of a fixed size plus an AXI4 slave with the
// timing documented in docs/rtl.md ("Device memory model"):
//
//   read:  an AR accepted at clock edge t (arready is high while fewer than MaxReads bursts are
//          queued) delivers its first R beat at edge t + rd_latency at the earliest, then one beat
//          per cycle while rready is high; bursts are answered in order. The data are those of the
//          memory at acceptance: a write accepted later does not change them (requests take
//          effect in the order the device issues them).
//   write: AW is accepted while fewer than MaxWrites bursts are queued; W beats are accepted one
//          per cycle for the oldest accepted AW (data lands in memory at the beat); the B response
//          of a burst whose last beat was accepted at edge t is offered at edge t + wr_latency.
//
// This is the memory behind the device, not the machine's timing model: docs/rtl.md explains
// why it only has to be fast.
//
// Bandwidth is one DataWidth-bit beat per cycle per direction. INCR bursts of full-width beats
// at beat-aligned addresses only; anything else is a protocol error, recorded and reported.
//
// Usage per clock cycle, with the DUT's outputs sampled after the falling-edge evaluation:
//   drive(out)  -> set the slave outputs for this cycle (depend on state only)
//   ... evaluate the DUT, read its master outputs into `in` ...
//   edge(in)    -> commit the handshakes that happen at this rising edge
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace pacq {

struct AxiMasterSignals {           // what the master drives
    bool arvalid = false;
    uint64_t araddr = 0;
    uint32_t arlen = 0, arsize = 0, arburst = 1, arid = 0;
    bool rready = false;
    bool awvalid = false;
    uint64_t awaddr = 0;
    uint32_t awlen = 0, awsize = 0, awburst = 1, awid = 0;
    bool wvalid = false, wlast = false;
    const uint32_t *wdata = nullptr;  // DataWidth/32 words
    const uint32_t *wstrb = nullptr;  // DataWidth/8 bits, packed in 32-bit words
    bool bready = false;
};

struct AxiSlaveSignals {            // what the memory drives
    bool arready = false;
    bool rvalid = false, rlast = false;
    uint32_t rid = 0;
    std::vector<uint32_t> rdata;
    bool awready = false, wready = false;
    bool bvalid = false;
    uint32_t bid = 0;
};

class AxiMem {
public:
    static constexpr uint64_t kPageBytes = 1u << 20;
    static constexpr size_t kMaxReads = 8;
    static constexpr size_t kMaxWrites = 8;

    AxiMem(uint64_t size, unsigned data_width, unsigned rd_latency, unsigned wr_latency)
        : size_(size), bytes_(data_width / 8), rd_latency_(rd_latency), wr_latency_(wr_latency),
          pages_((size + kPageBytes - 1) / kPageBytes) {}

    uint64_t size() const { return size_; }
    unsigned beat_bytes() const { return bytes_; }
    unsigned rd_latency() const { return rd_latency_; }
    unsigned wr_latency() const { return wr_latency_; }

    bool contains(uint64_t addr, uint64_t len) const { return addr <= size_ && len <= size_ - addr; }

    // Backdoor access; the caller checks contains().
    void write(uint64_t addr, const void *src, uint64_t len) {
        const uint8_t *s = static_cast<const uint8_t *>(src);
        while (len) {
            uint64_t off = addr % kPageBytes;
            uint64_t n = std::min<uint64_t>(len, kPageBytes - off);
            std::memcpy(page(addr) + off, s, n);
            addr += n;
            s += n;
            len -= n;
        }
    }

    void read(uint64_t addr, void *dst, uint64_t len) const {
        uint8_t *d = static_cast<uint8_t *>(dst);
        while (len) {
            uint64_t off = addr % kPageBytes;
            uint64_t n = std::min<uint64_t>(len, kPageBytes - off);
            const auto &p = pages_[addr / kPageBytes];
            if (p) {
                std::memcpy(d, p.get() + off, n);
            } else {
                std::memset(d, 0, n);
            }
            addr += n;
            d += n;
            len -= n;
        }
    }

    // Slave outputs for the current cycle.
    void drive(AxiSlaveSignals &o) {
        o.rdata.resize(bytes_ / 4);
        o.arready = reads_.size() < kMaxReads;
        o.rvalid = false;
        o.rlast = false;
        if (!reads_.empty() && now_ >= reads_.front().ready_at) {
            Burst &b = reads_.front();
            std::memcpy(o.rdata.data(), b.data.data() + size_t(b.beat) * bytes_, bytes_);
            o.rvalid = true;
            o.rlast = b.beat == b.len;
            o.rid = b.id;
        }
        o.awready = writes_.size() < kMaxWrites;
        o.wready = pending_w_ < writes_.size();
        o.bvalid = !resps_.empty() && now_ >= resps_.front().ready_at;
        o.bid = o.bvalid ? resps_.front().id : 0;
        last_ = o;
    }

    // Commits the handshakes of the rising edge that ends the current cycle.
    void edge(const AxiMasterSignals &m) {
        if (last_.rvalid && m.rready) {
            Burst &b = reads_.front();
            reads_bytes_ += bytes_;
            if (b.beat == b.len) {
                reads_.pop_front();
            } else {
                b.beat++;
            }
        }
        if (m.arvalid && last_.arready) {
            check(m.araddr, m.arlen, m.arsize, m.arburst, "read");
            Burst b{m.araddr, m.arlen, 0, m.arid, now_ + rd_latency_, {}};
            b.data.assign(size_t(m.arlen + 1) * bytes_, 0);
            if (contains(m.araddr, b.data.size())) read(m.araddr, b.data.data(), b.data.size());
            reads_.push_back(std::move(b));
        }
        if (m.wvalid && last_.wready) {
            Burst &b = writes_[pending_w_];
            uint64_t a = b.addr + uint64_t(b.beat) * bytes_;
            if (contains(a, bytes_)) {
                uint8_t *p = page(a) + a % kPageBytes;
                const uint8_t *src = reinterpret_cast<const uint8_t *>(m.wdata);
                for (unsigned i = 0; i < bytes_; i++) {
                    if ((m.wstrb[i / 32] >> (i % 32)) & 1u) p[i] = src[i];
                }
            }
            writes_bytes_ += bytes_;
            bool last = b.beat == b.len;
            if (last != m.wlast) error("WLAST does not match AWLEN");
            if (last) {
                resps_.push_back({b.addr, b.len, 0, b.id, now_ + wr_latency_, {}});
                pending_w_++;
            } else {
                b.beat++;
            }
        }
        if (m.bready && last_.bvalid) {
            resps_.pop_front();
            writes_.pop_front();
            pending_w_--;
        }
        if (m.awvalid && last_.awready) {
            check(m.awaddr, m.awlen, m.awsize, m.awburst, "write");
            writes_.push_back({m.awaddr, m.awlen, 0, m.awid, 0, {}});
        }
        now_++;
    }

    bool idle() const { return reads_.empty() && writes_.empty(); }
    uint64_t read_bytes() const { return reads_bytes_; }
    uint64_t written_bytes() const { return writes_bytes_; }
    const std::string &protocol_error() const { return error_; }

private:
    struct Burst {
        uint64_t addr;
        uint32_t len, beat, id;
        uint64_t ready_at;
        std::vector<uint8_t> data;   // reads: the burst's bytes at acceptance
    };

    uint8_t *page(uint64_t addr) {
        auto &p = pages_[addr / kPageBytes];
        if (!p) {
            p.reset(new uint8_t[kPageBytes]);
            std::memset(p.get(), 0, kPageBytes);
        }
        return p.get();
    }

    void check(uint64_t addr, uint32_t len, uint32_t size, uint32_t burst, const char *what) {
        if ((1u << size) != bytes_) error(std::string(what) + " burst with a narrow AxSIZE");
        if (burst != 1) error(std::string(what) + " burst that is not INCR");
        if (addr % bytes_) error(std::string(what) + " burst at an unaligned address");
        if (!contains(addr, uint64_t(len + 1) * bytes_)) error(std::string(what) + " burst outside device memory");
        if ((addr & 0xFFF) + uint64_t(len + 1) * bytes_ > 0x1000) error(std::string(what) + " burst crosses 4 KiB");
    }

    void error(const std::string &what) {
        if (error_.empty()) error_ = "AXI protocol error at cycle " + std::to_string(now_) + ": " + what;
    }

    uint64_t size_;
    unsigned bytes_;
    unsigned rd_latency_, wr_latency_;
    std::vector<std::unique_ptr<uint8_t[]>> pages_;
    std::deque<Burst> reads_, writes_, resps_;
    size_t pending_w_ = 0;  // writes_[0 .. pending_w_) have all their data
    AxiSlaveSignals last_;
    uint64_t now_ = 0;
    uint64_t reads_bytes_ = 0, writes_bytes_ = 0;
    std::string error_;
};

}  // namespace pacq

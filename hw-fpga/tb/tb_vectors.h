// Shared driver of the arithmetic-unit testbenches: reads a vector file written by
// tb/gen/VectorGen.java (the Java reference), applies each record's inputs to the unit through a
// callback, compares every output word and reports the first mismatches with their inputs.
//
// File format (little-endian): u32 magic 'PQTV', u32 inputs, u32 outputs, u32 reserved,
// u64 records, then records of (inputs + outputs) u32 words.
#pragma once

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

namespace tbv {

constexpr uint32_t kMagic = 0x56545150u;

// Applies in[0..inputs) to the unit and stores its outputs in out[0..outputs).
using Apply = std::function<void(const uint32_t* in, uint32_t* out)>;

// Runs every vector; returns the process exit status (0: all equal).
inline int run(const char* unit, const char* path, uint32_t inputs, uint32_t outputs, const Apply& apply) {
    FILE* f = std::fopen(path, "rb");
    if (!f) {
        std::fprintf(stderr, "%s: cannot open vector file %s (run 'make -C hw-fpga vectors')\n", unit, path);
        return 2;
    }
    uint32_t hdr[4];
    uint64_t count = 0;
    if (std::fread(hdr, 4, 4, f) != 4 || std::fread(&count, 8, 1, f) != 1 || hdr[0] != kMagic) {
        std::fprintf(stderr, "%s: %s is not a vector file (magic 0x%08x, expected 0x%08x)\n", unit, path,
                     hdr[0], kMagic);
        return 2;
    }
    if (hdr[1] != inputs || hdr[2] != outputs) {
        std::fprintf(stderr, "%s: %s has %u inputs and %u outputs per record, the testbench expects %u and %u\n",
                     unit, path, hdr[1], hdr[2], inputs, outputs);
        return 2;
    }
    const uint32_t width = inputs + outputs;
    std::vector<uint32_t> buf(static_cast<size_t>(width) * 4096);
    std::vector<uint32_t> got(outputs);
    uint64_t done = 0, bad = 0;
    while (done < count) {
        size_t want = static_cast<size_t>(std::min<uint64_t>(4096, count - done));
        if (std::fread(buf.data(), 4 * width, want, f) != want) {
            std::fprintf(stderr, "%s: %s is truncated at record %" PRIu64 " of %" PRIu64 "\n", unit, path, done,
                         count);
            std::fclose(f);
            return 2;
        }
        for (size_t r = 0; r < want; r++) {
            const uint32_t* rec = &buf[r * width];
            apply(rec, got.data());
            bool ok = std::memcmp(got.data(), rec + inputs, 4 * outputs) == 0;
            if (!ok) {
                if (bad < 10) {
                    std::fprintf(stderr, "%s: MISMATCH at vector %" PRIu64 ": inputs", unit, done + r);
                    for (uint32_t i = 0; i < inputs; i++) std::fprintf(stderr, " 0x%08x", rec[i]);
                    std::fprintf(stderr, "\n    expected");
                    for (uint32_t i = 0; i < outputs; i++) std::fprintf(stderr, " 0x%08x", rec[inputs + i]);
                    std::fprintf(stderr, "\n    got     ");
                    for (uint32_t i = 0; i < outputs; i++) std::fprintf(stderr, " 0x%08x", got[i]);
                    std::fprintf(stderr, "\n");
                }
                bad++;
            }
        }
        done += want;
    }
    std::fclose(f);
    if (bad) {
        std::printf("%s: FAIL, %" PRIu64 " of %" PRIu64 " vectors differ from the Java reference\n", unit, bad, count);
        return 1;
    }
    std::printf("%s: PASS, %" PRIu64 " vectors equal to the Java reference\n", unit, count);
    return 0;
}

}  // namespace tbv

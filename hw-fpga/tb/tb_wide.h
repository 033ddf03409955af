// Bit fields of Verilator's wide signals (VlWide), for the testbenches that drive and read them.
#pragma once
#include "verilated.h"
#include <cstdint>

// Sets bits lsb .. lsb + width - 1 of w to the low bits of v.
template <std::size_t N>
inline void set_bits(VlWide<N>& w, unsigned lsb, unsigned width, uint32_t v) {
    for (unsigned i = 0; i < width; i++) {
        unsigned b = lsb + i;
        w[b / 32] = (w[b / 32] & ~(1u << (b % 32))) | (((v >> i) & 1u) << (b % 32));
    }
}

// The byte at bit lsb (a multiple of 8) of w.
template <std::size_t N>
inline uint8_t get_byte(const VlWide<N>& w, unsigned lsb) {
    return (uint8_t)(w[lsb / 32] >> (lsb % 32));
}

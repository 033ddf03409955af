// pacq_fpint_mul: the PacQ parallel FP-INT multiplier. One FP16 activation times every code of
// one packed 16-bit weight word, minus its zero point, in one pass: 8 x INT2, 4 x INT4 or
// 2 x INT8 exact products, each delivered as an FP32 value (numerics.md: A * d is exact).
//
//   w_i  = | code 7 | ... | code 1 | code 0 |   code j in bits [j*b, j*b + b), b = 2, 4 or 8
//   z_i  = zero points packed the same way (the caller expands symmetric 2^(b-1) or per-group z)
//   d_j  = code_j - z_j in [-(2^b - 1), 2^b - 1]: |d_j| fits in b bits again
//
// The hardware is the re-partitioned FP16 significand multiplier of the paper: the b-bit
// magnitudes |d_j| form one 16-bit word again, which feeds eight 11 x 2-bit partial-product
// multipliers sharing the activation significand. INT2 lanes take one partial product each,
// INT4 lanes add two (one shifted by 2), INT8 lanes add two INT4 sums (one shifted by 4). The
// sign of lane j is sign(A) xor (d_j < 0); the exponent is the activation's, shared by every
// lane; only the final per-lane leading-one shift into FP32 format is per lane.
//
// Specials: A = NaN gives canonical NaN on every lane; A = +-Inf gives +-Inf, or NaN where
// d_j = 0; a zero product keeps the IEEE sign sign(A) xor (d_j < 0).
//
// bits_i: 2'd0 INT2 (lanes 0..7), 2'd1 INT4 (lanes 0..3), 2'd2 INT8 (lanes 0..1); unused lanes
// output +0. The algorithm is pacq_fp_pkg::fpint_mul. Latency 0 (combinational). Throughput one
// word per cycle.
module pacq_fpint_mul (
  input  logic [15:0]     a_i,
  input  logic [15:0]     w_i,
  input  logic [15:0]     z_i,
  input  logic [1:0]      bits_i,
  output logic [8*32-1:0] prod_o
);
  assign prod_o = pacq_fp_pkg::fpint_mul(a_i, w_i, z_i, bits_i);
endmodule

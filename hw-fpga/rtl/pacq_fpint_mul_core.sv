// pacq_fpint_mul_core: the significand datapath of the PacQ parallel FP-INT multiplier without
// the FP32 formatting of its lanes (pacq_fp_pkg::fpint_core): one 11-bit FP16 significand times a
// packed 16-bit word of codes minus zero points, eight 11 x 2-bit partial products recombined per
// width into 8 x 13-bit (INT2), 4 x 15-bit (INT4) or 2 x 19-bit (INT8) exact lane products, one
// shared exponent (the activation's). The synthesis report compares it with fp16_mul_core, the
// 11 x 11-bit significand multiplier of a plain FP16 multiplier: normalisation belongs to the
// accumulation adder in both cases. Latency 0 (combinational).
module pacq_fpint_mul_core (
  input  logic [10:0]  a_m_i,       // activation significand (hidden bit included)
  input  logic [15:0]  w_i,
  input  logic [15:0]  z_i,
  input  logic [1:0]   bits_i,      // 0 INT2, 1 INT4, 2 INT8
  output logic [151:0] mag_o,       // lane j: bits [19j +: 19]
  output logic [7:0]   neg_o,       // lane j: d_j < 0
  output logic [7:0]   dzero_o      // lane j: d_j = 0
);
  assign {dzero_o, neg_o, mag_o} = pacq_fp_pkg::fpint_core(a_m_i, w_i, z_i, bits_i);
endmodule

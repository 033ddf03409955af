// fp16_mul_core: the significand datapath of a plain FP16 multiplier (the baseline of
// pacq_fpint_mul_core in the synthesis report): one 11 x 11-bit multiplier, the sign and the
// exponent sum. Latency 0 (combinational).
module fp16_mul_core (
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  output logic [21:0] mag_o,        // a_m * b_m
  output logic        sign_o,
  output logic [5:0]  exp_o         // ea + eb (effective exponents)
);
  assign mag_o  = {a_i[14:10] != 5'b0, a_i[9:0]} * {b_i[14:10] != 5'b0, b_i[9:0]};
  assign sign_o = a_i[15] ^ b_i[15];
  assign exp_o  = 6'(pacq_fp_pkg::ea_eff16(a_i[14:10])) + 6'(pacq_fp_pkg::ea_eff16(b_i[14:10]));
endmodule

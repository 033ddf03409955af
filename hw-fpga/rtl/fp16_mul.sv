// fp16_mul: the exact product of two IEEE 754 binary16 values, as binary32. The baseline FP16
// multiplier of the DEQUANT datapath (and of the synthesis comparison with pacq_fpint_mul): one
// 11 x 11-bit significand multiplier, exponent adder and a normaliser.
//
// The product of two FP16 numbers has at most 22 significant bits and lies in
// [2^-48, 65504^2], so it is always an exact, normal FP32 value: no rounding. Inf * 0 = NaN,
// NaN -> canonical 0x7FC00000, zero sign = XOR of the signs.
//
// Latency 0 (combinational). Throughput 1 per cycle.
module fp16_mul (
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  output logic [31:0] prod_o
);
  logic        sign;
  logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
  logic [10:0] a_m, b_m;
  logic [21:0] p;
  logic [8:0]  exp_top;   // FP32 exponent field for a leading one at product bit 21
  logic [31:0] exact;

  // Effective exponent: subnormals scale like exponent 1.
  function automatic logic [4:0] ea_eff(input logic [4:0] e);
    ea_eff = (e == 5'b0) ? 5'd1 : e;
  endfunction

  always_comb begin
    sign   = a_i[15] ^ b_i[15];
    a_nan  = (a_i[14:10] == 5'h1F) && (a_i[9:0] != 10'b0);
    b_nan  = (b_i[14:10] == 5'h1F) && (b_i[9:0] != 10'b0);
    a_inf  = (a_i[14:10] == 5'h1F) && (a_i[9:0] == 10'b0);
    b_inf  = (b_i[14:10] == 5'h1F) && (b_i[9:0] == 10'b0);
    a_zero = a_i[14:0] == 15'b0;
    b_zero = b_i[14:0] == 15'b0;
    a_m    = {a_i[14:10] != 5'b0, a_i[9:0]};
    b_m    = {b_i[14:10] != 5'b0, b_i[9:0]};
    p      = a_m * b_m;
    // a_m * 2^(ea-25) * b_m * 2^(eb-25); a leading one at bit 21 means 2^(ea+eb-29):
    // field = ea + eb - 29 + 127 (effective exponents: 1 for subnormals).
    exp_top = 9'(ea_eff(a_i[14:10]))
            + 9'(ea_eff(b_i[14:10])) + 9'd98;
  end

  exact_to_fp32 #(.Width(22)) u_norm (
    .sign_i (sign),
    .mag_i  (p),
    .exp_i  (exp_top),
    .f_o    (exact)
  );

  always_comb begin
    if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
      prod_o = 32'h7FC0_0000;
    end else if (a_inf || b_inf) begin
      prod_o = {sign, 8'hFF, 23'b0};
    end else begin
      prod_o = exact;               // zero operands give a zero magnitude: signed zero
    end
  end
endmodule

// fp32_mul: IEEE 754 binary32 multiplication, round to nearest, ties to even (RN32(a * b)).
//
// Subnormal inputs and outputs (no flush to zero), overflow to +-Inf, Inf * 0 = NaN, the sign of
// zero is the XOR of the operand signs, and every NaN result is the canonical 0x7FC00000.
//
// Datapath: 24 x 24 -> 48-bit significand product; e = ea + eb - 127 (effective exponents, 1 for
// subnormals). The product is normalised by its leading-zero count when the result exponent
// stays >= 1; otherwise it is aligned to the subnormal scale, which works out to a shift by e
// (left when e >= 0, right with sticky when e < 0). The upper 24 bits are the result significand,
// bit 23 the guard bit, bits 22:0 the sticky bits; rounding increments {exponent, fraction}.
//
// Latency 0 (combinational); the instantiating pipeline registers it. Throughput 1 per cycle.
module fp32_mul (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] prod_o
);
  localparam logic [31:0] CanonicalNan = 32'h7FC0_0000;

  logic        sign;
  logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
  logic [23:0] a_m, b_m;
  logic [47:0] p;
  logic [5:0]  lz;
  logic signed [10:0] e;         // ea + eb - 127, in [-125, 381]
  logic signed [10:0] e_norm;    // exponent of the normalised product
  logic [47:0] r;
  logic        lost;             // bits shifted out to the right
  logic [7:0]  field_e;
  logic        round_up;
  logic [30:0] rounded;

  function automatic logic [5:0] lzc48(input logic [47:0] x);
    logic [5:0] n;
    logic       found;
    n     = 6'd48;
    found = 1'b0;
    for (int i = 47; i >= 0; i--) begin
      if (!found && x[i]) begin
        n     = 6'(47 - i);
        found = 1'b1;
      end
    end
    lzc48 = n;
  endfunction

  always_comb begin
    sign   = a_i[31] ^ b_i[31];
    a_nan  = (a_i[30:23] == 8'hFF) && (a_i[22:0] != 23'b0);
    b_nan  = (b_i[30:23] == 8'hFF) && (b_i[22:0] != 23'b0);
    a_inf  = (a_i[30:23] == 8'hFF) && (a_i[22:0] == 23'b0);
    b_inf  = (b_i[30:23] == 8'hFF) && (b_i[22:0] == 23'b0);
    a_zero = a_i[30:0] == 31'b0;
    b_zero = b_i[30:0] == 31'b0;

    a_m = {a_i[30:23] != 8'b0, a_i[22:0]};
    b_m = {b_i[30:23] != 8'b0, b_i[22:0]};
    p   = a_m * b_m;
    lz  = lzc48(p);
    e   = 11'(signed'({3'b0, (a_i[30:23] == 8'b0) ? 8'd1 : a_i[30:23]}))
        + 11'(signed'({3'b0, (b_i[30:23] == 8'b0) ? 8'd1 : b_i[30:23]})) - 11'sd127;
    e_norm = e + 11'sd1 - 11'(signed'({5'b0, lz}));

    lost = 1'b0;
    if (e_norm >= 11'sd1) begin
      r = p << lz;
    end else if (e >= 11'sd0) begin
      r = p << e[5:0];            // e < lz <= 47 here
    end else if (e > -11'sd48) begin
      r    = p >> (-e);
      lost = |(p & ~(48'hFFFF_FFFF_FFFF << (-e)));
    end else begin
      r    = 48'b0;
      lost = |p;
    end
    field_e = r[47] ? e_norm[7:0] : 8'd0;   // hidden bit set exactly when normal

    round_up = r[23] & ((|r[22:0]) | lost | r[24]);
    rounded  = {field_e, r[46:24]} + {30'b0, round_up};

    if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
      prod_o = CanonicalNan;
    end else if (a_inf || b_inf) begin
      prod_o = {sign, 8'hFF, 23'b0};
    end else if (a_zero || b_zero) begin
      prod_o = {sign, 31'b0};
    end else if (e_norm >= 11'sd255) begin
      prod_o = {sign, 8'hFF, 23'b0};
    end else begin
      prod_o = {sign, rounded};
    end
  end
endmodule

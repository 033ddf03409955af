// fp32_add: IEEE 754 binary32 addition, round to nearest, ties to even (RN32(a + b)).
//
// Full IEEE behaviour as numerics.md needs it: subnormal inputs and outputs (no flush to zero),
// overflow to +-Inf, x + (-x) = +0, (-0) + (-0) = -0, Inf + (-Inf) = NaN, and every NaN result
// is the canonical quiet NaN 0x7FC00000 (the contract's output encoding; NaN payloads never
// reach an output, so the datapath need not carry them).
//
// Datapath (one path, the classic 3-guard-bit adder): order the operands by magnitude, align the
// smaller significand with guard, round and sticky bits, add or subtract, normalise (right by one
// on carry, left by the leading-zero count on cancellation but never below the subnormal
// exponent), round by incrementing the {exponent, fraction} word so carries ripple into the
// exponent (subnormal -> normal, max finite -> Inf).
//
// Latency 0 (combinational); the instantiating pipeline registers it. Throughput 1 per cycle.
module fp32_add (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] sum_o
);
  localparam logic [31:0] CanonicalNan = 32'h7FC0_0000;

  logic        a_nan, b_nan, a_inf, b_inf;
  logic        big_s, small_s;
  logic [7:0]  big_e, small_e;      // effective exponents: 1 for subnormals and zero
  logic [23:0] big_m, small_m;      // significands with the hidden bit
  logic [7:0]  diff;
  logic [26:0] small_al;            // aligned: 24 bits + guard, round, sticky
  logic [27:0] total;               // one carry bit more
  logic        subtract;
  logic [4:0]  lz;
  logic [7:0]  shl;
  logic [26:0] norm;
  logic [8:0]  exp_n;               // exponent after normalisation, before the subnormal check
  logic [7:0]  field_e;
  logic        round_up;
  logic [30:0] rounded;

  // Leading zeros of a 27-bit word (27 when zero).
  function automatic logic [4:0] lzc27(input logic [26:0] x);
    logic [4:0] n;
    logic       found;
    n     = 5'd27;
    found = 1'b0;
    for (int i = 26; i >= 0; i--) begin
      if (!found && x[i]) begin
        n     = 5'(26 - i);
        found = 1'b1;
      end
    end
    lzc27 = n;
  endfunction

  // b >> s with the bits shifted out ORed into bit 0 (sticky), for s up to 255.
  function automatic logic [26:0] shr_sticky(input logic [26:0] x, input logic [7:0] s);
    logic [26:0] lost_mask;
    if (s >= 8'd27) begin
      shr_sticky = {26'b0, |x};
    end else begin
      lost_mask  = ~(27'h7FF_FFFF << s);
      shr_sticky = (x >> s) | {26'b0, |(x & lost_mask)};
    end
  endfunction

  always_comb begin
    a_nan = (a_i[30:23] == 8'hFF) && (a_i[22:0] != 23'b0);
    b_nan = (b_i[30:23] == 8'hFF) && (b_i[22:0] != 23'b0);
    a_inf = (a_i[30:23] == 8'hFF) && (a_i[22:0] == 23'b0);
    b_inf = (b_i[30:23] == 8'hFF) && (b_i[22:0] == 23'b0);

    // Order by magnitude: the exponent-and-fraction field compares as an unsigned integer.
    if (a_i[30:0] >= b_i[30:0]) begin
      big_s   = a_i[31];
      big_e   = (a_i[30:23] == 8'b0) ? 8'd1 : a_i[30:23];
      big_m   = {a_i[30:23] != 8'b0, a_i[22:0]};
      small_s = b_i[31];
      small_e = (b_i[30:23] == 8'b0) ? 8'd1 : b_i[30:23];
      small_m = {b_i[30:23] != 8'b0, b_i[22:0]};
    end else begin
      big_s   = b_i[31];
      big_e   = (b_i[30:23] == 8'b0) ? 8'd1 : b_i[30:23];
      big_m   = {b_i[30:23] != 8'b0, b_i[22:0]};
      small_s = a_i[31];
      small_e = (a_i[30:23] == 8'b0) ? 8'd1 : a_i[30:23];
      small_m = {a_i[30:23] != 8'b0, a_i[22:0]};
    end

    subtract = big_s ^ small_s;
    diff     = big_e - small_e;
    small_al = shr_sticky({small_m, 3'b000}, diff);
    total    = subtract ? ({1'b0, big_m, 3'b000} - {1'b0, small_al})
                        : ({1'b0, big_m, 3'b000} + {1'b0, small_al});

    // Normalise. A carry shifts right by one (the lost bit joins the sticky bit); otherwise shift
    // left by the leading-zero count, limited so the exponent stays >= 1 (the subnormal scale).
    lz  = lzc27(total[26:0]);
    shl = 8'd0;
    if (total[27]) begin
      norm  = {total[27:2], total[1] | total[0]};
      exp_n = {1'b0, big_e} + 9'd1;
    end else begin
      if ({3'b0, lz} < big_e) begin
        shl = {3'b0, lz};
      end else begin
        shl = big_e - 8'd1;
      end
      norm  = total[26:0] << shl;
      exp_n = {1'b0, big_e} - {1'b0, shl};
    end
    // A result without its hidden bit is subnormal (or zero): exponent field 0.
    field_e = norm[26] ? exp_n[7:0] : 8'd0;

    // Round to nearest even on guard (bit 2), round (bit 1) and sticky (bit 0).
    round_up = norm[2] & (norm[1] | norm[0] | norm[3]);
    rounded  = {field_e, norm[25:3]} + {30'b0, round_up};

    if (a_nan || b_nan || (a_inf && b_inf && (a_i[31] != b_i[31]))) begin
      sum_o = CanonicalNan;
    end else if (a_inf || b_inf) begin
      sum_o = {a_inf ? a_i[31] : b_i[31], 8'hFF, 23'b0};
    end else if (total == 28'b0) begin
      // Exact zero: +0 unless both operands are -0 (round to nearest).
      sum_o = {a_i[31] & b_i[31], 31'b0};
    end else if (exp_n >= 9'd255) begin
      sum_o = {big_s, 8'hFF, 23'b0};
    end else begin
      sum_o = {big_s, rounded};
    end
  end
endmodule

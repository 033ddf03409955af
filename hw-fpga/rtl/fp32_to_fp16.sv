// fp32_to_fp16: RN16, IEEE 754 binary32 to binary16 rounded to nearest, ties to even, with
// subnormal results, overflow to +-Inf and signed zeros kept; every NaN becomes the canonical
// FP16 NaN 0x7E00 (numerics.md output encoding).
//
// Normal results keep the top 10 fraction bits and round on the rest. Results below the FP16
// normal range shift the 24-bit significand right by 14 - (e - 112) and round on what falls out,
// so a value that rounds up to 2^-14 carries into exponent 1. Rounding increments the
// {exponent, fraction} word, which also carries 65520 and above into Inf.
//
// Latency 0 (combinational). Throughput 1 per cycle.
module fp32_to_fp16 (
  input  logic [31:0] f_i,
  output logic [15:0] h_o
);
  logic [7:0]  e;
  logic [23:0] m;          // significand with hidden bit
  logic [7:0]  rshift;     // subnormal alignment shift
  logic [9:0]  sub_m;      // m >> rshift (< 2^10 below the normal range)
  logic        sub_g, sub_s;
  logic [14:0] norm_r, sub_r;

  always_comb begin
    e      = f_i[30:23];
    m      = {e != 8'b0, f_i[22:0]};
    // Normal FP16 range: e - 112 in [1, 30].
    norm_r = {5'(e - 8'd112), f_i[22:13]}
           + {14'b0, f_i[12] & ((|f_i[11:0]) | f_i[13])};
    // Subnormal: the FP16 fraction is m * 2^(e - 127 - 23 + 24) = m >> (126 - e).
    rshift = 8'd126 - e;
    if (rshift > 8'd24) begin
      sub_m = 10'b0;
      sub_g = 1'b0;
      sub_s = |m;
    end else begin
      sub_m = 10'(m >> rshift);
      sub_g = m[5'(rshift - 8'd1)];                  // rshift >= 14 here
      sub_s = |(m & ~(24'hFF_FFFF << (rshift - 8'd1)));
    end
    sub_r = {5'b0, sub_m[9:0]} + {14'b0, sub_g & (sub_s | sub_m[0])};

    if (e == 8'hFF) begin
      h_o = (f_i[22:0] != 23'b0) ? 16'h7E00 : {f_i[31], 15'h7C00};
    end else if (e >= 8'd143) begin             // 2^16 and above
      h_o = {f_i[31], 15'h7C00};
    end else if (e >= 8'd113) begin
      h_o = {f_i[31], norm_r};                  // carries into 0x7C00 at 65520
    end else begin
      h_o = {f_i[31], sub_r};
    end
  end
endmodule

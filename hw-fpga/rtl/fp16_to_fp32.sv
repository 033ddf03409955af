// fp16_to_fp32: widens an IEEE 754 binary16 value to binary32. Exact for every finite input
// (FP16 subnormals become FP32 normals); +-Inf stay +-Inf; every NaN becomes the canonical
// 0x7FC00000 (numerics.md output encoding; NaN payloads are not carried).
//
// Latency 0 (combinational). Throughput 1 per cycle.
module fp16_to_fp32 (
  input  logic [15:0] h_i,
  output logic [31:0] f_o
);
  logic [3:0] lz;      // leading zeros of a subnormal fraction, 0..9
  logic [9:0] frac_n;  // the fraction shifted so its leading one leaves as the hidden bit

  function automatic logic [3:0] lzc10(input logic [9:0] x);
    logic [3:0] n;
    logic       found;
    n     = 4'd10;
    found = 1'b0;
    for (int i = 9; i >= 0; i--) begin
      if (!found && x[i]) begin
        n     = 4'(9 - i);
        found = 1'b1;
      end
    end
    lzc10 = n;
  endfunction

  always_comb begin
    lz     = lzc10(h_i[9:0]);
    frac_n = h_i[9:0] << (lz + 4'd1);
    if (h_i[14:10] == 5'h1F) begin
      f_o = (h_i[9:0] != 10'b0) ? 32'h7FC0_0000 : {h_i[15], 8'hFF, 23'b0};
    end else if (h_i[14:10] != 5'b0) begin
      f_o = {h_i[15], 8'(h_i[14:10]) + 8'd112, h_i[9:0], 13'b0};
    end else if (h_i[9:0] == 10'b0) begin
      f_o = {h_i[15], 31'b0};
    end else begin
      // 0.f * 2^-14 with the leading one at fraction bit 9 - lz: exponent -15 - lz.
      f_o = {h_i[15], 8'd112 - 8'(lz), frac_n, 13'b0};
    end
  end
endmodule

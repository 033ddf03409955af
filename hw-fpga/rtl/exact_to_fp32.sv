// exact_to_fp32: formats an exact product sign * mag * 2^(base - 127 - (Width-1) + ...) as FP32.
//
// The value is (-1)^sign_i * mag_i * 2^(exp_i - 127 - (Width - 1)) with mag_i < 2^Width, i.e.
// exp_i is the FP32 exponent field the result would have if mag_i's top bit were set. The caller
// guarantees the result is a normal FP32 number or zero (the products of FP16 operands and of
// FP16 activations with small integers always are), so this is a leading-one shift, no rounding:
// Width <= 23 keeps it exact.
//
// Latency 0 (combinational).
module exact_to_fp32 #(
  parameter int unsigned Width = 19  // magnitude bits, 2..23
) (
  input  logic             sign_i,
  input  logic [Width-1:0] mag_i,
  input  logic [8:0]       exp_i,   // exponent field for a leading one at bit Width-1
  output logic [31:0]      f_o
);
  localparam int unsigned LzW = $clog2(Width + 1);

  logic [LzW-1:0] lz;
  logic [Width-2:0] shifted;   // below the leading one

  function automatic logic [LzW-1:0] lzc(input logic [Width-1:0] x);
    logic [LzW-1:0] n;
    logic           found;
    n     = LzW'(Width);
    found = 1'b0;
    for (int i = Width - 1; i >= 0; i--) begin
      if (!found && x[i]) begin
        n     = LzW'(Width - 1 - i);
        found = 1'b1;
      end
    end
    lzc = n;
  endfunction

  always_comb begin
    lz      = lzc(mag_i);
    shifted = (Width-1)'(mag_i << lz);
    if (mag_i == '0) begin
      f_o = {sign_i, 31'b0};
    end else begin
      // shifted[Width-1] is the hidden bit; the fraction is left-aligned in 23 bits.
      f_o = {sign_i, 8'(exp_i - 9'(lz)), {shifted, {(24 - Width){1'b0}}}};
    end
  end
endmodule

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
// output +0. Latency 0 (combinational). Throughput one word per cycle.
module pacq_fpint_mul (
  input  logic [15:0]     a_i,
  input  logic [15:0]     w_i,
  input  logic [15:0]     z_i,
  input  logic [1:0]      bits_i,
  output logic [8*32-1:0] prod_o
);
  localparam logic [1:0] BitsInt4 = 2'd1;
  localparam logic [1:0] BitsInt8 = 2'd2;

  logic        a_nan, a_inf;
  logic [10:0] a_m;
  logic [8:0]  exp_top;           // FP32 exponent field for a lane leading one at bit 18

  // Per-width zero-point subtraction: magnitude words and per-lane signs.
  logic [15:0] mag2, mag4, mag8, mag;
  logic [7:0]  neg2, neg;         // neg[j]: d_j < 0 for the lanes of the current width
  logic [3:0]  neg4;
  logic [1:0]  neg8;
  logic [7:0]  dzero;             // d_j == 0

  logic [12:0] pp [8];            // 11 x 2-bit partial products
  logic [14:0] s4 [4];            // INT4 lane magnitudes
  logic [18:0] s8 [2];            // INT8 lane magnitudes
  logic [18:0] lane_mag [8];
  logic [31:0] lane_exact [8];

  // Effective exponent: subnormals scale like exponent 1.
  function automatic logic [4:0] ea_eff(input logic [4:0] e);
    ea_eff = (e == 5'b0) ? 5'd1 : e;
  endfunction

  always_comb begin
    a_nan   = (a_i[14:10] == 5'h1F) && (a_i[9:0] != 10'b0);
    a_inf   = (a_i[14:10] == 5'h1F) && (a_i[9:0] == 10'b0);
    a_m     = {a_i[14:10] != 5'b0, a_i[9:0]};
    // a_m * 2^(ea-25) * mag; a leading one at mag bit 18 means 2^(ea-7): field = ea + 120.
    exp_top = 9'(ea_eff(a_i[14:10])) + 9'd120;
  end

  // Zero-point subtraction for each width: d = q - z as (b+1)-bit two's complement.
  always_comb begin
    for (int j = 0; j < 8; j++) begin
      logic [2:0] d;
      d = {1'b0, w_i[2*j +: 2]} - {1'b0, z_i[2*j +: 2]};
      neg2[j]          = d[2];
      mag2[2*j +: 2]   = d[2] ? 2'(-d) : d[1:0];
    end
    for (int j = 0; j < 4; j++) begin
      logic [4:0] d;
      d = {1'b0, w_i[4*j +: 4]} - {1'b0, z_i[4*j +: 4]};
      neg4[j]          = d[4];
      mag4[4*j +: 4]   = d[4] ? 4'(-d) : d[3:0];
    end
    for (int j = 0; j < 2; j++) begin
      logic [8:0] d;
      d = {1'b0, w_i[8*j +: 8]} - {1'b0, z_i[8*j +: 8]};
      neg8[j]          = d[8];
      mag8[8*j +: 8]   = d[8] ? 8'(-d) : d[7:0];
    end
    unique case (bits_i)
      BitsInt4: begin mag = mag4; neg = {4'b0, neg4}; end
      BitsInt8: begin mag = mag8; neg = {6'b0, neg8}; end
      default:  begin mag = mag2; neg = neg2;         end  // INT2
    endcase
  end

  // The shared significand multiplier, cut into eight 11 x 2 pieces and recombined per width.
  always_comb begin
    for (int i = 0; i < 8; i++) begin
      pp[i] = 13'(a_m * mag[2*i +: 2]);
    end
    for (int j = 0; j < 4; j++) begin
      s4[j] = 15'(pp[2*j]) + {pp[2*j+1], 2'b00};
    end
    for (int j = 0; j < 2; j++) begin
      s8[j] = 19'(s4[2*j]) + {s4[2*j+1], 4'b0000};
    end
    for (int j = 0; j < 8; j++) begin
      lane_mag[j] = 19'b0;
      unique case (bits_i)
        BitsInt4: if (j < 4) lane_mag[j] = 19'(s4[j]);
        BitsInt8: if (j < 2) lane_mag[j] = s8[j];
        default:  lane_mag[j] = 19'(pp[j]);
      endcase
    end
  end

  for (genvar j = 0; j < 8; j++) begin : gen_lane
    exact_to_fp32 #(.Width(19)) u_norm (
      .sign_i (a_i[15] ^ neg[j]),
      .mag_i  (lane_mag[j]),
      .exp_i  (exp_top),
      .f_o    (lane_exact[j])
    );
  end

  always_comb begin
    for (int j = 0; j < 8; j++) begin
      logic valid;
      unique case (bits_i)
        BitsInt4: begin valid = j < 4; dzero[j] = mag4[4*(j%4) +: 4] == 4'b0; end
        BitsInt8: begin valid = j < 2; dzero[j] = mag8[8*(j%2) +: 8] == 8'b0; end
        default:  begin valid = 1'b1;  dzero[j] = mag2[2*j +: 2] == 2'b0;     end
      endcase
      if (!valid) begin
        prod_o[32*j +: 32] = 32'b0;
      end else if (a_nan || (a_inf && dzero[j])) begin
        prod_o[32*j +: 32] = 32'h7FC0_0000;
      end else if (a_inf) begin
        prod_o[32*j +: 32] = {a_i[15] ^ neg[j], 8'hFF, 23'b0};
      end else begin
        prod_o[32*j +: 32] = lane_exact[j];
      end
    end
  end
endmodule

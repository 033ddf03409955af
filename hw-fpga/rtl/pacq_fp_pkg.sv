// pacq_fp_pkg: the device's floating-point arithmetic as functions (numerics.md, docs/simt.md
// section 4): IEEE 754 binary32/binary16, round to nearest even, subnormals everywhere, overflow to
// +-Inf, IEEE signed zeros, and every NaN result canonical (0x7FC00000 / 0x7E00).
//
// Functions rather than modules so a pipeline can evaluate them inside a clocked block only when an
// instruction needs them (which is what keeps the Verilated model fast); each has a thin wrapper
// module (fp32_add.sv, ...) that the unit testbenches and the synthesis flow use. All functions are
// combinational. Written in the SystemVerilog subset both Verilator and Yosys 0.23 accept: results
// are assigned to the function name (no `return`).
package pacq_fp_pkg;

  localparam logic [31:0] CanonicalNan32 = 32'h7FC0_0000;
  localparam logic [15:0] CanonicalNan16 = 16'h7E00;

  // ------------------------------------------------------------------ leading-zero counters
  // Binary search (a priority tree in hardware). Written as selects, not if statements, so the
  // Verilated model has no data-dependent branches to mispredict. All-zero input: width.

  function automatic logic [5:0] lzc32(input logic [31:0] x);
    logic [31:0] v;
    logic        z16, z8, z4, z2, z1;
    v   = x;
    z16 = v[31:16] == 16'b0;  v = z16 ? {v[15:0], 16'b0} : v;
    z8  = v[31:24] == 8'b0;   v = z8  ? {v[23:0], 8'b0}  : v;
    z4  = v[31:28] == 4'b0;   v = z4  ? {v[27:0], 4'b0}  : v;
    z2  = v[31:30] == 2'b0;   v = z2  ? {v[29:0], 2'b0}  : v;
    z1  = !v[31];
    lzc32 = (x == 32'b0) ? 6'd32 : {1'b0, z16, z8, z4, z2, z1};
  endfunction

  function automatic logic [6:0] lzc64(input logic [63:0] x);
    if (x[63:32] != 32'b0) begin
      lzc64 = {1'b0, lzc32(x[63:32])};
    end else begin
      lzc64 = 7'd32 + {1'b0, lzc32(x[31:0])};
    end
  endfunction

  function automatic logic [7:0] lzc128(input logic [127:0] x);
    if (x[127:64] != 64'b0) begin
      lzc128 = {1'b0, lzc64(x[127:64])};
    end else begin
      lzc128 = 8'd64 + {1'b0, lzc64(x[63:0])};
    end
  endfunction

  // ------------------------------------------------------------------------ classification

  function automatic logic is_nan32(input logic [30:0] a);  // magnitude bits
    is_nan32 = (a[30:23] == 8'hFF) && (a[22:0] != 23'b0);
  endfunction

  function automatic logic is_inf32(input logic [30:0] a);  // magnitude bits
    is_inf32 = (a[30:23] == 8'hFF) && (a[22:0] == 23'b0);
  endfunction

  function automatic logic is_nan16(input logic [14:0] a);  // magnitude bits
    is_nan16 = (a[14:10] == 5'h1F) && (a[9:0] != 10'b0);
  endfunction

  function automatic logic is_inf16(input logic [14:0] a);  // magnitude bits
    is_inf16 = (a[14:10] == 5'h1F) && (a[9:0] == 10'b0);
  endfunction

  // ---------------------------------------------------------------------------- fp32_add
  // RN32(a + b). The classic adder: order by magnitude, align the smaller significand keeping
  // guard, round and sticky bits, add or subtract, normalise (right by one on carry; left by the
  // leading-zero count but never below the subnormal exponent), round by incrementing the
  // {exponent, fraction} word so carries ripple into the exponent. Both paths are computed and
  // selected (the multiplexers of the hardware): the Verilated matrix units run 256 of these per
  // cycle, and branch-free code simulates about 1.4x faster on random operands.
  function automatic logic [31:0] fp32_add(input logic [31:0] a, input logic [31:0] b);
    logic        swap, big_s, subtract, carry, a_nan, b_nan, a_inf, b_inf;
    logic [31:0] x, y;
    logic [7:0]  big_e, small_e, diff, shl;
    logic [4:0]  al;
    logic [26:0] small_w, small_al, norm;
    logic [27:0] total;
    logic [5:0]  lz;
    logic [8:0]  exp_n;
    logic [30:0] rounded;
    swap     = a[30:0] < b[30:0];
    x        = swap ? b : a;                 // the operand of larger magnitude
    y        = swap ? a : b;
    big_s    = x[31];
    big_e    = (x[30:23] == 8'b0) ? 8'd1 : x[30:23];   // subnormals scale like exponent 1
    small_e  = (y[30:23] == 8'b0) ? 8'd1 : y[30:23];
    subtract = x[31] ^ y[31];
    diff     = big_e - small_e;
    small_w  = {y[30:23] != 8'b0, y[22:0], 3'b000};
    al       = (diff >= 8'd27) ? 5'd27 : diff[4:0];
    small_al = (small_w >> al) | {26'b0, (small_w & ~(27'h7FF_FFFF << al)) != 27'b0};
    total    = {1'b0, x[30:23] != 8'b0, x[22:0], 3'b000}
             + ({28{subtract}} ^ {1'b0, small_al}) + {27'b0, subtract};
    lz       = lzc32({total[26:0], 5'b0});
    carry    = total[27];
    shl      = ({2'b0, lz} < big_e) ? {2'b0, lz} : big_e - 8'd1;
    norm     = carry ? {total[27:2], total[1] | total[0]} : total[26:0] << shl;
    exp_n    = carry ? {1'b0, big_e} + 9'd1 : {1'b0, big_e} - {1'b0, shl};
    rounded  = {norm[26] ? exp_n[7:0] : 8'd0, norm[25:3]}   // no hidden bit: subnormal or zero
             + {30'b0, norm[2] & (norm[1] | norm[0] | norm[3])};
    a_nan    = is_nan32(a[30:0]);
    b_nan    = is_nan32(b[30:0]);
    a_inf    = is_inf32(a[30:0]);
    b_inf    = is_inf32(b[30:0]);
    fp32_add = (a_nan || b_nan || (a_inf && b_inf && (a[31] != b[31]))) ? CanonicalNan32
             : (a_inf || b_inf) ? {a_inf ? a[31] : b[31], 8'hFF, 23'b0}
             : (total == 28'b0) ? {a[31] & b[31], 31'b0}     // exact zero: +0 unless both are -0
             : (exp_n >= 9'd255) ? {big_s, 8'hFF, 23'b0}
             : {big_s, rounded};
  endfunction

  // ---------------------------------------------------------------------------- fp32_mul
  // RN32(a * b). 24 x 24 -> 48-bit product; e = ea + eb - 127 (effective exponents). Normalised
  // by the leading-zero count while the exponent stays >= 1, else aligned to the subnormal scale,
  // which is a shift by e (left for e >= 0, right with sticky for e < 0).
  function automatic logic [31:0] fp32_mul(input logic [31:0] a, input logic [31:0] b);
    logic        sign, lost, round_up;
    logic [47:0] p, r;
    logic [6:0]  lz;
    logic signed [10:0] e, e_norm;
    logic [7:0]  field_e;
    logic [30:0] rounded;
    sign   = a[31] ^ b[31];
    p      = {a[30:23] != 8'b0, a[22:0]} * {b[30:23] != 8'b0, b[22:0]};
    lz     = lzc64({p, 16'b0});
    e      = 11'($signed({3'b0, (a[30:23] == 8'b0) ? 8'd1 : a[30:23]}))
           + 11'($signed({3'b0, (b[30:23] == 8'b0) ? 8'd1 : b[30:23]})) - 11'sd127;
    e_norm = e + 11'sd1 - 11'($signed({4'b0, lz}));
    lost   = 1'b0;
    if (e_norm >= 11'sd1) begin
      r = p << lz;
    end else if (e >= 11'sd0) begin
      r = p << e[5:0];                         // e < lz <= 47 here
    end else if (e > -11'sd48) begin
      r    = p >> (-e);
      lost = |(p & ~(48'hFFFF_FFFF_FFFF << (-e)));
    end else begin
      r    = 48'b0;
      lost = |p;
    end
    field_e  = r[47] ? e_norm[7:0] : 8'd0;     // hidden bit set exactly when normal
    round_up = r[23] & ((|r[22:0]) | lost | r[24]);
    rounded  = {field_e, r[46:24]} + {30'b0, round_up};
    if (is_nan32(a[30:0]) || is_nan32(b[30:0]) || (is_inf32(a[30:0]) && b[30:0] == 31'b0)
        || (is_inf32(b[30:0]) && a[30:0] == 31'b0)) begin
      fp32_mul = CanonicalNan32;
    end else if (is_inf32(a[30:0]) || is_inf32(b[30:0])) begin
      fp32_mul = {sign, 8'hFF, 23'b0};
    end else if (a[30:0] == 31'b0 || b[30:0] == 31'b0) begin
      fp32_mul = {sign, 31'b0};
    end else if (e_norm >= 11'sd255) begin
      fp32_mul = {sign, 8'hFF, 23'b0};
    end else begin
      fp32_mul = {sign, rounded};
    end
  endfunction

  // ---------------------------------------------------------------------------- fp32_fma
  // RN32(a * b + c) with one rounding. The exact product P * 2^lp (P = 48-bit significand
  // product, lp = exponent of its LSB) and the addend C * 2^lc are summed exactly in a 128-bit
  // window whose bit 0 has exponent lp - 26 (26 guard bits below the product). An addend whose LSB
  // lies more than 77 bits above the product's moves the window to lc - 26 and the non-zero
  // product shrinks to a sticky 1 (it is below 2^-30 of the addend's ulp); an addend below the
  // window keeps a sticky bit. The exact sum is then rounded once at the result's LSB (normal or
  // subnormal position).
  function automatic logic [31:0] fp32_fma(input logic [31:0] a, input logic [31:0] b,
                                           input logic [31:0] c);
    logic        ps, cs, sticky_c, round_up, rs, prod_zero, prod_inf;
    logic [47:0] p;
    logic [23:0] cm;
    logic signed [11:0] lp, lc, d, e0, msb_e, sh;
    logic [127:0] pw, cw, mag, sum;
    logic [22:0]  rsh;
    logic [7:0]  lz;
    logic [7:0]  field_e;
    logic        guard, sticky, lost;
    logic [30:0] rounded;
    logic signed [11:0] l_pos;
    ps        = a[31] ^ b[31];
    cs        = c[31];
    p         = {a[30:23] != 8'b0, a[22:0]} * {b[30:23] != 8'b0, b[22:0]};
    cm        = {c[30:23] != 8'b0, c[22:0]};
    prod_zero = (a[30:0] == 31'b0) || (b[30:0] == 31'b0);
    prod_inf  = is_inf32(a[30:0]) || is_inf32(b[30:0]);
    lp = 12'($signed({4'b0, (a[30:23] == 8'b0) ? 8'd1 : a[30:23]}))
       + 12'($signed({4'b0, (b[30:23] == 8'b0) ? 8'd1 : b[30:23]})) - 12'sd300;
    lc = 12'($signed({4'b0, (c[30:23] == 8'b0) ? 8'd1 : c[30:23]})) - 12'sd150;
    d  = lc - lp;
    sticky_c = 1'b0;
    if (d > 12'sd77) begin
      e0 = lc - 12'sd26;
      cw = {78'b0, cm, 26'b0};
      pw = {127'b0, !prod_zero};                      // the product as an epsilon
    end else begin
      e0 = lp - 12'sd26;
      pw = {54'b0, p, 26'b0};
      if (d >= -12'sd26) begin
        cw = {104'b0, cm} << (d + 12'sd26);
      end else if (d > -12'sd51) begin
        cw = {104'b0, cm} >> (-(d + 12'sd26));
        sticky_c = |({104'b0, cm} & ~(128'hFFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF << (-(d + 12'sd26))));
      end else begin
        cw = 128'b0;
        sticky_c = cm != 24'b0;
      end
    end
    // Exact signed sum. A sticky addend (only when the addend is below the window, where the
    // product is the larger) adds a fraction in (0, 1) LSB: as a borrow when subtracting, and in
    // both cases as the sticky bit of rounding.
    if (ps == cs) begin
      sum = pw + cw;                                   // < 2^127 + 2^74: no carry out
      rs  = ps;
    end else if (pw >= cw) begin
      sum = pw - cw - {127'b0, sticky_c};
      rs  = ps;
    end else begin
      sum = cw - pw;
      rs  = cs;
    end
    lost = sticky_c;
    mag  = sum;
    lz   = lzc128(mag);
    l_pos = 12'sd127 - 12'($signed({4'b0, lz}));      // bit position of the leading one
    msb_e = l_pos + e0;                                // unbiased exponent of the leading one
    // Result LSB position in the window: 23 below the leading one for a normal result, the
    // subnormal LSB (exponent -149) otherwise.
    if (msb_e >= -12'sd126) begin
      sh      = l_pos - 12'sd23;
      field_e = 8'(msb_e + 12'sd127);
    end else begin
      sh      = -12'sd149 - e0;
      field_e = 8'd0;
    end
    if (sh <= 12'sd0) begin
      rsh    = 23'(mag << (-sh));
      guard  = 1'b0;
      sticky = lost;
    end else if (sh >= 12'sd128) begin
      rsh    = 23'b0;                                  // far below the smallest subnormal
      guard  = 1'b0;
      sticky = lost | (mag != 128'b0);
    end else begin
      rsh    = 23'(mag >> sh);
      guard  = mag[7'(sh - 12'sd1)];
      sticky = lost | (|(mag & ~(128'hFFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF << (sh - 12'sd1))));
    end
    round_up = guard & (sticky | rsh[0]);
    rounded  = {field_e, rsh[22:0]} + {30'b0, round_up};
    if (is_nan32(a[30:0]) || is_nan32(b[30:0]) || is_nan32(c[30:0]) || (is_inf32(a[30:0]) && b[30:0] == 31'b0)
        || (is_inf32(b[30:0]) && a[30:0] == 31'b0) || (prod_inf && is_inf32(c[30:0]) && ps != cs)) begin
      fp32_fma = CanonicalNan32;
    end else if (prod_inf) begin
      fp32_fma = {ps, 8'hFF, 23'b0};
    end else if (is_inf32(c[30:0])) begin
      fp32_fma = {cs, 8'hFF, 23'b0};
    end else if (prod_zero) begin
      // 0 + c is c; two zeros keep their common sign, else +0.
      fp32_fma = (c[30:0] == 31'b0) ? {ps & cs, 31'b0} : c;
    end else if (mag == 128'b0 && !lost) begin
      fp32_fma = 32'h0000_0000;                        // exact cancellation: +0
    end else if (msb_e > 12'sd127) begin
      fp32_fma = {rs, 8'hFF, 23'b0};
    end else begin
      fp32_fma = {rs, rounded};                        // carries into Inf at the top
    end
  endfunction

  // ------------------------------------------------------------------------- conversions

  // FP16 -> FP32, exact; NaN canonical.
  function automatic logic [31:0] fp16_to_fp32(input logic [15:0] h);
    logic [5:0] lz;
    logic [9:0] frac_n;
    lz     = lzc32({h[9:0], 22'b0});                   // 0..9 for a non-zero fraction
    frac_n = h[9:0] << (lz + 6'd1);
    if (h[14:10] == 5'h1F) begin
      fp16_to_fp32 = (h[9:0] != 10'b0) ? CanonicalNan32 : {h[15], 8'hFF, 23'b0};
    end else if (h[14:10] != 5'b0) begin
      fp16_to_fp32 = {h[15], 8'({3'b0, h[14:10]}) + 8'd112, h[9:0], 13'b0};
    end else if (h[9:0] == 10'b0) begin
      fp16_to_fp32 = {h[15], 31'b0};
    end else begin
      fp16_to_fp32 = {h[15], 8'd112 - 8'({2'b0, lz}), frac_n, 13'b0};  // 0.f * 2^-14
    end
  endfunction

  // RN16: FP32 -> FP16 rounded to nearest even, subnormal results, overflow to Inf, NaN 0x7E00.
  function automatic logic [15:0] fp32_to_fp16(input logic [31:0] f);
    logic [7:0]  e, rshift;
    logic [23:0] m;
    logic [9:0]  sub_m;
    logic        sub_g, sub_s;
    logic [14:0] norm_r, sub_r;
    e      = f[30:23];
    m      = {e != 8'b0, f[22:0]};
    norm_r = {5'(e - 8'd112), f[22:13]} + {14'b0, f[12] & ((|f[11:0]) | f[13])};
    rshift = 8'd126 - e;                               // FP16 fraction = m >> (126 - e)
    if (rshift > 8'd24) begin
      sub_m = 10'b0;
      sub_g = 1'b0;
      sub_s = |m;
    end else begin
      sub_m = 10'(m >> rshift);
      sub_g = m[5'(rshift - 8'd1)];                    // rshift >= 14 here
      sub_s = |(m & ~(24'hFF_FFFF << (rshift - 8'd1)));
    end
    sub_r = {5'b0, sub_m} + {14'b0, sub_g & (sub_s | sub_m[0])};
    if (e == 8'hFF) begin
      fp32_to_fp16 = (f[22:0] != 23'b0) ? CanonicalNan16 : {f[31], 15'h7C00};
    end else if (e >= 8'd143) begin
      fp32_to_fp16 = {f[31], 15'h7C00};
    end else if (e >= 8'd113) begin
      fp32_to_fp16 = {f[31], norm_r};                  // carries into 0x7C00 at 65520
    end else begin
      fp32_to_fp16 = {f[31], sub_r};
    end
  endfunction

  // RN32 of a signed 32-bit integer.
  function automatic logic [31:0] i32_to_fp32(input logic [31:0] x);
    logic        s;
    logic [31:0] mag;
    logic [30:0] n;                                    // below the leading one
    logic [5:0]  lz;
    logic [30:0] rounded;
    s   = x[31];
    mag = s ? -x : x;                                  // 0x80000000 stays as 2^31
    lz  = lzc32(mag);
    n   = 31'(mag << lz);                              // leading one shifted out at bit 31
    // 24 significant bits {1, n[30:8]}, guard n[7], sticky n[6:0].
    rounded = {8'(8'd158 - {2'b0, lz}), n[30:8]} + {30'b0, n[7] & ((|n[6:0]) | n[8])};
    i32_to_fp32 = (mag == 32'b0) ? 32'b0 : {s, rounded};
  endfunction

  // RN16 of a signed 16-bit integer (|x| <= 32768 < 65504: never overflows).
  function automatic logic [15:0] i16_to_fp16(input logic [15:0] x);
    i16_to_fp16 = fp32_to_fp16(i32_to_fp32({{16{x[15]}}, x}));  // exact in FP32, one rounding
  endfunction

  // --------------------------------------------------------------------- exact products

  // Formats sign * mag * 2^(exp_top - 127 - 23) as FP32, where exp_top is the exponent field the
  // value has when mag's bit 23 is its leading one. The caller guarantees a normal result (or a
  // zero magnitude): no rounding.
  function automatic logic [31:0] exact_to_fp32(input logic sign, input logic [23:0] mag,
                                                input logic [8:0] exp_top);
    logic [5:0]  lz;
    logic [22:0] n;                                    // below the leading one
    lz = lzc32({mag, 8'b0});
    n  = 23'(mag << lz);
    exact_to_fp32 = (mag == 24'b0) ? {sign, 31'b0} : {sign, 8'(exp_top - {3'b0, lz}), n[22:0]};
  endfunction

  function automatic logic [4:0] ea_eff16(input logic [4:0] e);
    ea_eff16 = (e == 5'b0) ? 5'd1 : e;
  endfunction

  // The exact product of two FP16 values as FP32 (at most 22 significant bits, always a normal
  // FP32 number or zero): the baseline FP16 multiplier of HMMA and HMUL2.
  function automatic logic [31:0] fp16_mul(input logic [15:0] a, input logic [15:0] b);
    logic        sign;
    logic [21:0] p;
    sign = a[15] ^ b[15];
    p    = {a[14:10] != 5'b0, a[9:0]} * {b[14:10] != 5'b0, b[9:0]};
    // a_m * 2^(ea-25) * b_m * 2^(eb-25); a leading one at product bit 21 (bit 23 after the
    // shift by 2) means 2^(ea+eb-29): field = ea + eb + 98.
    if (is_nan16(a[14:0]) || is_nan16(b[14:0]) || (is_inf16(a[14:0]) && b[14:0] == 15'b0)
        || (is_inf16(b[14:0]) && a[14:0] == 15'b0)) begin
      fp16_mul = CanonicalNan32;
    end else if (is_inf16(a[14:0]) || is_inf16(b[14:0])) begin
      fp16_mul = {sign, 8'hFF, 23'b0};
    end else begin
      fp16_mul = exact_to_fp32(sign, {p, 2'b00},
                               9'(ea_eff16(a[14:10])) + 9'(ea_eff16(b[14:10])) + 9'd98);
    end
  endfunction

  // The PacQ parallel FP-INT multiplier core: one FP16 significand times every code of a packed
  // 16-bit word minus its zero point (packed the same way): 8 x INT2 (bsel 0), 4 x INT4 (bsel 1)
  // or 2 x INT8 (bsel 2). |d| = |q - z| fits the code width again, so the magnitudes form a 16-bit
  // word that feeds eight shared 11 x 2-bit partial-product multipliers, recombined per width.
  // Returns lane j's exact significand product (19 bits) in bits [19j +: 19] and whether d_j < 0
  // in bit 152 + j, whether d_j = 0 in bit 160 + j; the exponent is the activation's, shared.
  function automatic logic [167:0] fpint_core(input logic [10:0] a_m, input logic [15:0] w,
                                              input logic [15:0] z, input logic [1:0] bsel);
    logic [15:0] mag;
    logic [7:0]  neg, dz;
    logic [2:0]  d2;
    logic [4:0]  d4;
    logic [8:0]  d8;
    logic [8*13-1:0] pp;                               // eight 13-bit partial products
    logic [4*15-1:0] s4;                               // four INT4 lane magnitudes
    logic [2*19-1:0] s8;                               // two INT8 lane magnitudes
    logic [8*19-1:0] lanes;
    // Zero-point subtraction for the selected width only (the three subtractor banks of the
    // hardware feed one multiplexer; evaluating one of them is the same function).
    mag = '0; neg = '0; dz = '0;
    case (bsel)
      2'd1: begin
        for (int j = 0; j < 4; j++) begin
          d4 = {1'b0, w[4*j +: 4]} - {1'b0, z[4*j +: 4]};
          neg[j] = d4[4];
          mag[4*j +: 4] = d4[4] ? 4'(-d4) : d4[3:0];
          dz[j] = d4 == 5'b0;
        end
      end
      2'd2: begin
        for (int j = 0; j < 2; j++) begin
          d8 = {1'b0, w[8*j +: 8]} - {1'b0, z[8*j +: 8]};
          neg[j] = d8[8];
          mag[8*j +: 8] = d8[8] ? 8'(-d8) : d8[7:0];
          dz[j] = d8 == 9'b0;
        end
      end
      default: begin
        for (int j = 0; j < 8; j++) begin
          d2 = {1'b0, w[2*j +: 2]} - {1'b0, z[2*j +: 2]};
          neg[j] = d2[2];
          mag[2*j +: 2] = d2[2] ? 2'(-d2) : d2[1:0];
          dz[j] = d2 == 3'b0;
        end
      end
    endcase
    for (int i = 0; i < 8; i++) begin
      pp[13*i +: 13] = 13'(a_m * mag[2*i +: 2]);
    end
    for (int j = 0; j < 4; j++) begin
      s4[15*j +: 15] = 15'(pp[13*(2*j) +: 13]) + {pp[13*(2*j+1) +: 13], 2'b00};
    end
    for (int j = 0; j < 2; j++) begin
      s8[19*j +: 19] = 19'(s4[15*(2*j) +: 15]) + {s4[15*(2*j+1) +: 15], 4'b0000};
    end
    lanes = '0;
    for (int j = 0; j < 8; j++) begin
      case (bsel)
        2'd1:    if (j < 4) lanes[19*j +: 19] = 19'(s4[15*j +: 15]);
        2'd2:    if (j < 2) lanes[19*j +: 19] = s8[19*j +: 19];
        default: lanes[19*j +: 19] = 19'(pp[13*j +: 13]);
      endcase
    end
    fpint_core = {dz, neg, lanes};
  endfunction

  // The PacQ parallel FP-INT multiplier (see pacq_fpint_mul.sv): fpint_core plus the per-lane
  // formatting of each exact product as FP32 (lane j of the result; unused lanes +0) and the
  // IEEE special cases of the activation.
  function automatic logic [255:0] fpint_mul(input logic [15:0] a, input logic [15:0] w,
                                             input logic [15:0] z, input logic [1:0] bsel);
    logic [167:0] core;
    logic [8:0]   exp_top;
    logic         valid;
    core = fpint_core({a[14:10] != 5'b0, a[9:0]}, w, z, bsel);
    // The lane magnitude lm is worth lm * 2^(ea-25); a leading one at lm bit 18 (bit 23 of the
    // 24-bit field) means 2^(ea-7): field = ea + 120.
    exp_top = 9'(ea_eff16(a[14:10])) + 9'd120;
    for (int j = 0; j < 8; j++) begin
      valid = (bsel == 2'd1) ? j < 4 : (bsel == 2'd2) ? j < 2 : 1'b1;
      if (!valid) begin
        fpint_mul[32*j +: 32] = 32'b0;
      end else if (is_nan16(a[14:0]) || (is_inf16(a[14:0]) && core[160 + j])) begin
        fpint_mul[32*j +: 32] = CanonicalNan32;
      end else if (is_inf16(a[14:0])) begin
        fpint_mul[32*j +: 32] = {a[15] ^ core[152 + j], 8'hFF, 23'b0};
      end else begin
        fpint_mul[32*j +: 32] = exact_to_fp32(a[15] ^ core[152 + j], {core[19*j +: 19], 5'b0}, exp_top);
      end
    end
  endfunction

endpackage

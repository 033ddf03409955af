// pacq_simt_pkg: instruction decode and derived constants of the SIMT machine (docs/simt.md
// sections 3-5). Every constant comes from the generated ABI package; this file only derives.
//
// decode() turns a 64-bit instruction word into what the issue stage needs: the unit, the
// registers read and written as 128-bit masks (r0 excluded: it is never pending, never written,
// never counted), the register counts for RF_READS/RF_WRITES, memory and matrix attributes, and
// whether the word is illegal (section 3).
package pacq_simt_pkg;

  // (Constants derived from pacq_abi_pkg live in the modules: Yosys 0.23 does not accept a package
  // parameter defined from another package's.)

  typedef struct packed {
    logic [7:0]   op;
    logic [6:0]   rd, ra, rb, rz;
    logic [31:0]  imm;
    logic [2:0]   unit;       // pacq_abi_pkg::Unit*
    logic         illegal;
    logic [127:0] src;        // registers read (r0 excluded)
    logic [127:0] dst;        // registers written (r0 excluded)
    logic [127:0] lock;       // matrix instructions: sources locked for the busy time
    logic [7:0]   nsrc;       // registers read, r0 excluded (RF_READS = nsrc * act or * 32)
    logic [7:0]   ndst;       // registers written, r0 excluded
    logic         mem_global; // LDG*/STG*
    logic         mem_shared; // LDS*/STS*
    logic         store;
    logic [2:0]   size_log2;  // access size 1 << size_log2 bytes
    logic [2:0]   nregs;      // registers moved by a load/store: 1, 2 or 4
    logic         mma;
    logic [1:0]   mma_kind;   // 0 HMMA, 1 PMMA, 2 KMMA
    logic [1:0]   bsel;       // PMMA/KMMA code width: 0 INT2, 1 INT4, 2 INT8 (pacq_fp_pkg::fpint_mul)
    logic [3:0]   cpw;        // codes per word: 8, 4, 2 (HMMA: 1)
    logic         zacc;       // .z: accumulate from +0.0
    logic [9:0]   busy;       // matrix-unit busy cycles (up to 512: KMMA INT2)
    logic [4:0]   bf_pos;
    logic [5:0]   bf_len;
  } inst_t;

  // Registers base .. base+count-1 as a mask, r0 removed.
  function automatic logic [127:0] range_mask(input logic [7:0] base, input logic [7:0] count);
    logic [255:0] ones;
    ones = (256'b1 << count) - 256'b1;
    range_mask = 128'(ones << base) & ~128'b1;
  endfunction

  // Registers of base .. base+count-1 other than r0.
  function automatic logic [7:0] range_count(input logic [7:0] base, input logic [7:0] count);
    range_count = (base == 8'd0 && count != 8'd0) ? count - 8'd1 : count;
  endfunction

  function automatic logic sreg_valid(input logic [31:0] s);
    sreg_valid = (s <= 32'(pacq_abi_pkg::SregSmemBytes))
                 || (s >= 32'(pacq_abi_pkg::SregArg0) && s <= 32'(pacq_abi_pkg::SregArg15));
  endfunction

  function automatic inst_t decode(input logic [63:0] w);
    // The fields as locals, packed in inst_t's order at the end (Yosys 0.23 resolves no struct
    // members of function-local variables).
    logic [7:0]   d_op, d_nsrc, d_ndst;
    logic [6:0]   d_rd, d_ra, d_rb, d_rz;
    logic [31:0]  d_imm;
    logic [127:0] d_src, d_dst, d_lock;
    logic [2:0]   d_unit, d_size_log2, d_nregs;
    logic [1:0]   d_mma_kind, d_bsel;
    logic [3:0]   d_cpw;
    logic [9:0]   d_busy;
    logic [4:0]   d_bf_pos;
    logic [5:0]   d_bf_len;
    logic         d_illegal, d_mem_global, d_mem_shared, d_store, d_mma, d_zacc;
    logic [7:0]  f_rd, f_ra, f_rb, f_rz, fmt, bits;
    logic        bad_reg;
    logic [7:0]  ncd;           // C/D registers of a matrix instruction
    d_nsrc = '0; d_ndst = '0; d_src = '0; d_dst = '0; d_lock = '0; d_illegal = 1'b0;
    d_mem_global = 1'b0; d_mem_shared = 1'b0; d_store = 1'b0; d_mma = 1'b0; d_mma_kind = '0;
    d_bsel = '0; d_busy = '0;
    d_op   = w[pacq_abi_pkg::IsaOpcodeLsb +: 8];
    f_rd   = w[pacq_abi_pkg::IsaRdLsb +: 8];
    f_ra   = w[pacq_abi_pkg::IsaRaLsb +: 8];
    f_rb   = w[pacq_abi_pkg::IsaRbLsb +: 8];
    f_rz   = w[pacq_abi_pkg::IsaMmaRzLsb +: 8];
    bits   = w[pacq_abi_pkg::IsaMmaBitsLsb +: 8];
    d_imm  = w[pacq_abi_pkg::IsaImmLsb +: 32];
    d_rd   = f_rd[6:0];
    d_ra   = f_ra[6:0];
    d_rb   = f_rb[6:0];
    d_rz   = f_rz[6:0];
    d_zacc = w[pacq_abi_pkg::IsaMmaZaccLsb];
    d_bf_pos = w[pacq_abi_pkg::IsaBfPosLsb +: 5];
    d_bf_len = w[pacq_abi_pkg::IsaBfLenLsb +: 6];
    fmt    = pacq_abi_pkg::isa_format(d_op);
    d_unit = 3'(pacq_abi_pkg::isa_unit(d_op));
    bad_reg = 1'b0;
    d_size_log2 = 3'd2;
    d_nregs = 3'd1;
    d_cpw = 4'd1;
    ncd = 8'd0;

    // Memory attributes: opcode bits 2:0 select the size within each 8-opcode memory group.
    if (d_unit == 3'(pacq_abi_pkg::UnitLsu)) begin
      d_mem_global = d_op[4] == 1'b0;                 // 0x4x global, 0x5x shared
      d_mem_shared = d_op[4] == 1'b1;
      d_store      = d_op[3];
      d_size_log2  = d_op[2:0];                        // 0:1, 1:2, 2:4, 3:8, 4:16 bytes
      d_nregs      = (d_op[2:0] == 3'd4) ? 3'd4 : (d_op[2:0] == 3'd3) ? 3'd2 : 3'd1;
    end

    // Matrix attributes.
    if (d_unit == 3'(pacq_abi_pkg::UnitMma)) begin
      d_mma      = 1'b1;
      d_mma_kind = 2'(d_op - pacq_abi_pkg::OpHmma);
      if (d_op == pacq_abi_pkg::OpHmma) begin
        d_cpw  = 4'd1;
        d_busy = 10'd64;
      end else begin
        d_bsel = (bits == 8'd8) ? 2'd2 : (bits == 8'd4) ? 2'd1 : 2'd0;
        d_cpw  = (bits == 8'd8) ? 4'd2 : (bits == 8'd4) ? 4'd4 : 4'd8;
        if (d_op == pacq_abi_pkg::OpPmma) begin
          d_busy = (bits == 8'd2) ? 10'd128 : 10'd64;
        end else begin
          d_busy = 10'(10'd64 * 10'(d_cpw));
        end
      end
      ncd = {1'b0, d_cpw, 3'b000};                     // 8 * cpw registers of C/D
    end

    // Registers read and written, by format; a field a format uses must be < 128 and a group
    // must end at or below r127.
    unique case (fmt)
      pacq_abi_pkg::FormatR: begin
        bad_reg = f_rd[7] | f_ra[7] | f_rb[7];
        d_src = range_mask(f_ra, 8'd1) | range_mask(f_rb, 8'd1);
        d_nsrc = range_count(f_ra, 8'd1) + range_count(f_rb, 8'd1);
        if (d_op == pacq_abi_pkg::OpFfma || d_op == pacq_abi_pkg::OpFmac) begin   // read rd too
          d_src  = d_src | range_mask(f_rd, 8'd1);
          d_nsrc = d_nsrc + range_count(f_rd, 8'd1);
        end
        d_dst = range_mask(f_rd, 8'd1);
        d_ndst = range_count(f_rd, 8'd1);
      end
      pacq_abi_pkg::FormatI, pacq_abi_pkg::FormatU: begin
        bad_reg = f_rd[7] | f_ra[7];
        d_src = range_mask(f_ra, 8'd1);
        d_nsrc = range_count(f_ra, 8'd1);
        d_dst = range_mask(f_rd, 8'd1);
        d_ndst = range_count(f_rd, 8'd1);
      end
      pacq_abi_pkg::FormatSr: begin
        bad_reg = f_rd[7];
        d_dst = range_mask(f_rd, 8'd1);
        d_ndst = range_count(f_rd, 8'd1);
      end
      pacq_abi_pkg::FormatLd: begin
        bad_reg = f_rd[7] | f_ra[7] | ((f_rd + {5'b0, d_nregs}) > 8'd128);
        d_src = range_mask(f_ra, 8'd1);
        d_nsrc = range_count(f_ra, 8'd1);
        d_dst = range_mask(f_rd, {5'b0, d_nregs});
        d_ndst = range_count(f_rd, {5'b0, d_nregs});
      end
      pacq_abi_pkg::FormatSt: begin
        bad_reg = f_ra[7] | f_rb[7] | ((f_rb + {5'b0, d_nregs}) > 8'd128);
        d_src = range_mask(f_ra, 8'd1) | range_mask(f_rb, {5'b0, d_nregs});
        d_nsrc = range_count(f_ra, 8'd1) + range_count(f_rb, {5'b0, d_nregs});
      end
      pacq_abi_pkg::FormatBr, pacq_abi_pkg::FormatM: begin
        bad_reg = f_ra[7];
        d_src = range_mask(f_ra, 8'd1);
        d_nsrc = range_count(f_ra, 8'd1);
      end
      pacq_abi_pkg::FormatMh, pacq_abi_pkg::FormatMq: begin
        bad_reg = f_rd[7] | f_ra[7] | f_rb[7] | ((f_ra + 8'd4) > 8'd128) | ((f_rb + 8'd4) > 8'd128)
                  | ((f_rd + ncd) > 8'd128);
        d_lock = range_mask(f_ra, 8'd4) | range_mask(f_rb, 8'd4);
        d_nsrc = range_count(f_ra, 8'd4) + range_count(f_rb, 8'd4);
        if (fmt == pacq_abi_pkg::FormatMq) begin
          bad_reg = bad_reg | f_rz[7] | (bits != 8'd2 && bits != 8'd4 && bits != 8'd8);
          d_lock  = d_lock | range_mask(f_rz, 8'd1);
          d_nsrc  = d_nsrc + range_count(f_rz, 8'd1);
        end
        if (!d_zacc) begin
          d_lock = d_lock | range_mask(f_rd, ncd);
          d_nsrc = d_nsrc + range_count(f_rd, ncd);
        end
        d_src  = d_lock;
        d_dst  = range_mask(f_rd, ncd);
        d_ndst = range_count(f_rd, ncd);
      end
      default: ;                                       // N, J: no registers
    endcase

    d_illegal = !pacq_abi_pkg::isa_valid(d_op) || bad_reg
                || (d_op == pacq_abi_pkg::OpS2r && !sreg_valid(d_imm))
                || (d_op == pacq_abi_pkg::OpBfe && d_bf_len > 6'd32)
                || (d_op == pacq_abi_pkg::OpUnpk && (d_bf_len == 6'd0 || d_bf_len > 6'd16));
    decode = {d_op, d_rd, d_ra, d_rb, d_rz, d_imm, d_unit, d_illegal, d_src, d_dst, d_lock, d_nsrc, d_ndst,
              d_mem_global, d_mem_shared, d_store, d_size_log2, d_nregs, d_mma, d_mma_kind, d_bsel, d_cpw, d_zacc, d_busy, d_bf_pos, d_bf_len};
  endfunction

  // One lane of the integer unit (docs/simt.md 4): R forms (0x1x) take rb, I forms (0x2x) imm.
  function automatic logic [31:0] alu(input logic [7:0] op, input logic [31:0] a, input logic [31:0] b,
                                      input logic [31:0] imm, input logic [4:0] pos, input logic [5:0] len);
    logic [31:0] x, y, m;
    logic [15:0] hi;
    y = (op[5] == 1'b1) ? imm : b;                     // 0x2x: immediate forms
    case (op)
      pacq_abi_pkg::OpAdd, pacq_abi_pkg::OpAddi:   x = a + y;
      pacq_abi_pkg::OpSub:                         x = a - y;
      pacq_abi_pkg::OpMul, pacq_abi_pkg::OpMuli:   x = a * y;
      pacq_abi_pkg::OpAnd, pacq_abi_pkg::OpAndi:   x = a & y;
      pacq_abi_pkg::OpOr, pacq_abi_pkg::OpOri:     x = a | y;
      pacq_abi_pkg::OpXor, pacq_abi_pkg::OpXori:   x = a ^ y;
      pacq_abi_pkg::OpShl, pacq_abi_pkg::OpShli:   x = a << y[4:0];
      pacq_abi_pkg::OpShr, pacq_abi_pkg::OpShri:   x = a >> y[4:0];
      pacq_abi_pkg::OpSra, pacq_abi_pkg::OpSrai:   x = 32'($signed(a) >>> y[4:0]);
      pacq_abi_pkg::OpSlt, pacq_abi_pkg::OpSlti:   x = {31'b0, $signed(a) < $signed(y)};
      pacq_abi_pkg::OpSltu, pacq_abi_pkg::OpSltiu: x = {31'b0, a < y};
      pacq_abi_pkg::OpSeq, pacq_abi_pkg::OpSeqi:   x = {31'b0, a == y};
      pacq_abi_pkg::OpMin, pacq_abi_pkg::OpMini:   x = ($signed(a) < $signed(y)) ? a : y;
      pacq_abi_pkg::OpMax, pacq_abi_pkg::OpMaxi:   x = ($signed(a) > $signed(y)) ? a : y;
      pacq_abi_pkg::OpPack:                        x = {y[15:0], a[15:0]};
      pacq_abi_pkg::OpSub2:                        x = {a[31:16] - y[31:16], a[15:0] - y[15:0]};
      pacq_abi_pkg::OpBfe: begin
        m = (len >= 6'd32) ? 32'hFFFF_FFFF : (32'b1 << len) - 32'b1;
        x = (a >> pos) & m;
      end
      pacq_abi_pkg::OpUnpk: begin
        m  = (32'b1 << len) - 32'b1;                   // len 1..16
        hi = ({1'b0, pos} + len >= 7'd32) ? 16'b0 : 16'(a >> ({1'b0, pos} + len));  // >= 32: 0
        x  = {hi & m[15:0], 16'((a >> pos) & m)};
      end
      default:                                     x = 32'b0;
    endcase
    alu = x;
  endfunction

  // One lane of the FP unit: every FP result canonical-NaN, RN32 / RN16 (pacq_fp_pkg).
  function automatic logic [31:0] fpu(input logic [7:0] op, input logic [31:0] a, input logic [31:0] b,
                                      input logic [31:0] c);
    logic [31:0] x;
    case (op)
      pacq_abi_pkg::OpFadd:  x = pacq_fp_pkg::fp32_add(a, b);
      pacq_abi_pkg::OpFsub:  x = pacq_fp_pkg::fp32_add(a, {~b[31], b[30:0]});
      pacq_abi_pkg::OpFmul:  x = pacq_fp_pkg::fp32_mul(a, b);
      pacq_abi_pkg::OpFfma:  x = pacq_fp_pkg::fp32_fma(a, b, c);
      pacq_abi_pkg::OpFmac:  x = pacq_fp_pkg::fp32_add(c, pacq_fp_pkg::fp32_mul(a, b));   // two roundings
      pacq_abi_pkg::OpI2f:   x = pacq_fp_pkg::i32_to_fp32(a);
      pacq_abi_pkg::OpH2f:   x = pacq_fp_pkg::fp16_to_fp32(a[15:0]);
      pacq_abi_pkg::OpH2fh:  x = pacq_fp_pkg::fp16_to_fp32(a[31:16]);
      pacq_abi_pkg::OpF2h:   x = {16'b0, pacq_fp_pkg::fp32_to_fp16(a)};
      pacq_abi_pkg::OpF2h2:  x = {pacq_fp_pkg::fp32_to_fp16(b), pacq_fp_pkg::fp32_to_fp16(a)};
      pacq_abi_pkg::OpI2h2:  x = {pacq_fp_pkg::i16_to_fp16(a[31:16]), pacq_fp_pkg::i16_to_fp16(a[15:0])};
      pacq_abi_pkg::OpHmul2: x = {pacq_fp_pkg::fp32_to_fp16(pacq_fp_pkg::fp16_mul(a[31:16], b[31:16])),
                                  pacq_fp_pkg::fp32_to_fp16(pacq_fp_pkg::fp16_mul(a[15:0], b[15:0]))};
      default:               x = 32'b0;
    endcase
    fpu = x;
  endfunction

  // The core's load/store byte paths work on 16-byte words (a shared-memory bank's row, a quarter
  // of a 64-byte device-memory block); accesses are aligned, so a lane's bytes lie in one word.

  // A load lane's bytes: word w from byte `off` on, at byte 0, masked to the access's bytes `strb`.
  // The shift is 4 stages of constant shifts (see pacq_core's shl64 for why).
  function automatic logic [127:0] pick_bytes(input logic [127:0] w, input logic [3:0] off,
                                              input logic [15:0] strb);
    logic [127:0] r;
    r = w;
    for (int i = 0; i < 4; i++) r = off[i] ? r >> (8 << i) : r;
    for (int k = 0; k < 16; k++) r[8*k +: 8] = r[8*k +: 8] & {8{strb[k]}};
    pick_bytes = r;
  endfunction

  // A store lane merged into a word: `acc` with the bytes enabled in `strb` taken from `data`.
  function automatic logic [127:0] merge_bytes(input logic [127:0] acc, input logic [127:0] data,
                                               input logic [15:0] strb);
    logic [127:0] bits;
    for (int k = 0; k < 16; k++) bits[8*k +: 8] = {8{strb[k]}};
    merge_bytes = (acc & ~bits) | (data & bits);
  endfunction
endpackage

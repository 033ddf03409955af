// pacq_mma_unit: one matrix unit of a core (docs/simt.md 5, docs/rtl.md 1): 64 multiplier slots
// (the PacQ parallel FP-INT multiplier, or FP16 x FP16 for HMMA) and 256 FP32 accumulation adders,
// each adder owning 8 of the 2048 accumulators (accumulator i belongs to adder i % 256).
//
// The core captures an instruction's A, B, z and C into registers (a_i .. c_i) at its issue edge t
// and raises start_i for the next model cycle. The unit then runs the spec's steps in a three-stage
// pipeline, step s of the busy time in
//   F (t + 1 + s)  operand select: 4 activations, a 64-word window of B, each slot's zero points
//   M (t + 2 + s)  the 64 slots multiply
//   A (t + 3 + s)  the adders add each product to its accumulator (the first step of every
//                  accumulator, k = 0, starts from its C value)
// so every accumulator receives the same additions in the same k order as the spec's step
// schedule. The last step's sums are copied to d_q at its A edge (t + busy + 2); the core writes D
// into the registers in cycle t + busy + 3 = (last step) + LAT_MMA_DRAIN. Only F reads a_i, b_i
// and z_i (the core may capture the next instruction at t + busy), and only the k = 0 steps read
// c_i (long before that).
//
// Step schedule (cell c = 16 mm + wi of the 64 slots; q, k from the step s):
//   HMMA         k = s/4, rows 4(s%4) + mm, slot c: A[m][k] x B[k][wi] -> adder 64(s%4) + c
//   PMMA INT4/8  k = s/4, rows 4(s%4) + mm, slot c: A[m][k] x word (k, wi) -> cpw products,
//                accumulator 16 cpw m + cpw wi + i
//   PMMA INT2    k = s/8, rows 2(s%8) + mm (slots 0..31), as INT4
//   KMMA         k = s/4cpw, r = s%4cpw: output 64r + c (slot c), code k%cpw of word (k/cpw, n)
//
// Simulation and synthesis. In simulation the slots and adders are function calls inside the one
// clocked process, made only in the cycles that use them (Verilator evaluates combinational logic
// in every cycle, which would cost the idle clock its speed). Under SYNTHESIS they are 64
// pacq_mma_slot and 256 pacq_mma_acc instances (each an fp32_add with the 8 accumulators it
// owns), computing the same functions of pacq_fp_pkg, so that a hierarchical synthesis keeps one
// slot and one adder module. `make -C hw-fpga mma-syn` runs the SYNTHESIS branch as Yosys reads
// it next to the simulation branch and compares the accumulators in every cycle.
module pacq_mma_unit (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                clear_i,    // a launch starts: drop any instruction in flight
  input  logic                adv_i,      // the model clock advances this cycle
  input  logic                start_i,    // an instruction was captured at the last model edge
  input  logic [1:0]          kind_i,     // 0 HMMA, 1 PMMA, 2 KMMA (read while start_i)
  input  logic [1:0]          bsel_i,     // 0 INT2, 1 INT4, 2 INT8
  input  logic [3:0]          cpw_i,      // codes per word (HMMA: 1)
  input  logic [9:0]          busy_i,     // steps
  input  logic [256*16-1:0]   a_i,        // A[m][k] at 16m + k (FP16)
  input  logic [256*16-1:0]   b_i,        // B words (or FP16) as in the register block
  input  logic [128*8-1:0]    z_i,        // zero point of column n in byte n
  input  logic [2048*32-1:0]  c_i,        // C (+0.0 for .z), accumulator i at [32i +: 32]
  output logic [2048*32-1:0]  d_o         // the accumulators
);
  /*verilator inline_module*/
  localparam logic [1:0] KHmma = 2'd0, KPmma = 2'd1, KKmma = 2'd2;

  // Pipeline registers. They belong to the one process `pipe` below, which reads each before it
  // writes it in every cycle (A, then M, then F; blocking assignments, lint/waivers.vlt), so they
  // are registers as non-blocking ones would be, and the simulator keeps no shadow of a wide
  // vector to copy in every cycle.
  // F state
  logic        f_run_q;                // steps after the first are left
  logic [9:0]  f_step_q, busy_q;
  logic [1:0]  kind_q, bsel_q;
  logic [3:0]  cpw_q;

  // F -> M
  logic        m_v_q, m_first_q, m_last_q;
  logic [1:0]  m_kind_q, m_bsel_q;
  logic [2:0]  m_e_q;                  // accumulator entry of every active adder
  logic [3:0]  m_qe_q;                 // active adder quarters (adders 64j .. 64j+63)
  logic [63:0] m_use_q;                // slots with a product this step
  logic [15:0] m_a_q [64];             // slot c's activation, packed word (or FP16), zero points
  logic [15:0] m_w_q [64];
  logic [15:0] m_z_q [64];

  // M -> A
  logic              a_v_q, a_first_q, a_last_q;
  logic [1:0]        a_kind_q, a_bsel_q;
  logic [2:0]        a_e_q;
  logic [3:0]        a_qe_q;
  logic [64*256-1:0] p_q;              // slot c's products at [256c +: 256], lane i at +32i

`ifndef SYNTHESIS
  logic [2048*32-1:0] acc_q;            // accumulator i at [32i +: 32]: adder i % 256, entry i / 256
  logic [2048*32-1:0] d_q;              // the accumulators after an instruction's last step
  assign d_o = d_q;
`endif

`ifdef SYNTHESIS
  logic [64*256-1:0] slot_prod;
  for (genvar c = 0; c < 64; c++) begin : gen_slot
    pacq_mma_slot u_slot (
      .hmma_i (m_kind_q == KHmma), .a_i (m_a_q[c]), .b_i (m_w_q[c]), .z_i (m_z_q[c]),
      .bits_i (m_bsel_q), .prod_o (slot_prod[256*c +: 256])
    );
  end
`endif

  // Adder n's product: lane 0 of slot n % 64 (HMMA, KMMA), lane n % 8 of slot n / 8 (INT2), lane
  // n % 4 of slot n / 4 (INT4), lane n % 2 of slot (n % 128) / 2 (INT8).
  function automatic logic [31:0] addend(input int unsigned n);
    if (a_kind_q != KPmma)     addend = p_q[256 * (n & 63) +: 32];
    else if (a_bsel_q == 2'd0) addend = p_q[256 * (n >> 3) + 32 * (n & 7) +: 32];
    else if (a_bsel_q == 2'd1) addend = p_q[256 * (n >> 2) + 32 * (n & 3) +: 32];
    else                       addend = p_q[256 * ((n & 127) >> 1) + 32 * (n & 1) +: 32];
  endfunction

`ifdef SYNTHESIS
  // Adder n with its 8 accumulators and their drain copy (pacq_mma_acc); entry e is accumulator
  // 256 e + n, the layout of c_i and d_o.
  for (genvar n = 0; n < 256; n++) begin : gen_add
    logic [8*32-1:0] c, d;
    for (genvar e = 0; e < 8; e++) begin : gen_e
      assign c[32*e +: 32] = c_i[32 * (256 * e + n) +: 32];
      assign d_o[32 * (256 * e + n) +: 32] = d[32*e +: 32];
    end
    pacq_mma_acc u_acc (
      .clk_i (clk_i), .step_i (!clear_i && adv_i && a_v_q), .use_i (a_qe_q[n >> 6]),
      .first_i (a_first_q), .last_i (a_last_q), .e_i (a_e_q), .c_i (c), .addend_i (addend(n)),
      .d_o (d)
    );
  end
`endif

  // Row r of A (16 FP16 values A[r][0..15]) and of B (16 words). For synthesis as trees of 2:1
  // selects written as expressions: Yosys builds a [256 r +: 256] select as a 4096-bit shifter,
  // and `if` chains inside the process's loops as one huge decision tree. (No vector argument:
  // the simulator would copy it at every call.)
`ifdef SYNTHESIS
  function automatic logic [255:0] row_tree(input logic [256*16-1:0] v, input logic [3:0] r);
    logic [2047:0] t3;
    logic [1023:0] t2;
    logic [511:0]  t1;
    t3 = r[3] ? v[4095:2048] : v[2047:0];
    t2 = r[2] ? t3[2047:1024] : t3[1023:0];
    t1 = r[1] ? t2[1023:512] : t2[511:0];
    row_tree = r[0] ? t1[511:256] : t1[255:0];
  endfunction
  function automatic logic [255:0] a_row(input logic [3:0] r);
    a_row = row_tree(a_i, r);
  endfunction
  function automatic logic [255:0] b_row(input logic [3:0] r);
    b_row = row_tree(b_i, r);
  endfunction
`else
  function automatic logic [255:0] a_row(input logic [3:0] r);
    a_row = a_i[256 * 32'(r) +: 256];
  endfunction
  function automatic logic [255:0] b_row(input logic [3:0] r);
    b_row = b_i[256 * 32'(r) +: 256];
  endfunction
`endif

  // D leaves through d_q, written after an instruction's last step; the core reads it
  // LAT_MMA_DRAIN - 3 = 1 cycle later and never at an edge that writes it (the next last step is
  // >= 64 cycles away). Only F reads a_i, b_i and z_i (the core may capture the next instruction
  // at t + busy), and only the k = 0 steps read c_i (long before that).
  always_ff @(posedge clk_i or negedge rst_ni) begin : pipe
    logic [9:0]  s, busy;
    logic [1:0]  kind, bsel;
    logic [3:0]  cpw;
    logic [9:0]  spk, k, r;
    logic [3:0]  mb;                   // row of activation 0
    logic [3:0]  win;                  // the 64-word B window starts at word 16 win (wrapping)
    logic [2:0]  kpos, cbits;          // KMMA: code position, bits per code (2, 4, 8 as 1, 2, 3)
    logic [15:0] av [4];
    logic [15:0] word, zw, z2, z4, z8;
    logic [255:0] arow;
    logic [1023:0] bw;                 // the B window: rows win .. win + 3
    logic [7:0]  zb;
    logic [15:0] cmask;
    if (!rst_ni) begin
      f_run_q = 1'b0; f_step_q = '0; busy_q = '0; kind_q = '0; bsel_q = '0; cpw_q = '0;
      m_v_q = 1'b0; m_first_q = 1'b0; m_last_q = 1'b0; m_kind_q = '0; m_bsel_q = '0;
      m_e_q = '0; m_qe_q = '0; m_use_q = '0;
      a_v_q = 1'b0; a_first_q = 1'b0; a_last_q = 1'b0; a_kind_q = '0; a_bsel_q = '0; a_e_q = '0;
      a_qe_q = '0;
    end else if (clear_i) begin
      f_run_q = 1'b0;
      m_v_q   = 1'b0;
      a_v_q   = 1'b0;
    end else if (adv_i) begin
      // ---------------------------------------------------------------- A: the adders
`ifndef SYNTHESIS
      if (a_v_q) begin
        // Only the active quarters are visited (HMMA and KMMA use one per step).
        for (int unsigned j = 0; j < 4; j++) begin
          if (a_qe_q[j]) begin
            for (int unsigned n = 64 * j; n < 64 * j + 64; n++) begin
              acc_q[32 * (256 * 32'(a_e_q) + n) +: 32] = pacq_fp_pkg::fp32_add(
                  a_first_q ? c_i[32 * (256 * 32'(a_e_q) + n) +: 32] : acc_q[32 * (256 * 32'(a_e_q) + n) +: 32],
                  addend(n));
            end
          end
        end
        if (a_last_q) d_q = acc_q;
      end
`endif

      // ---------------------------------------------------------------- M: the multiplier slots
      a_v_q = m_v_q;
      if (m_v_q) begin
        a_first_q = m_first_q;
        a_last_q  = m_last_q;
        a_kind_q  = m_kind_q;
        a_bsel_q  = m_bsel_q;
        a_e_q     = m_e_q;
        a_qe_q    = m_qe_q;
`ifdef SYNTHESIS
        for (int c = 0; c < 64; c++) begin
          if (m_use_q[c]) p_q[256*c +: 256] = slot_prod[256*c +: 256];
        end
`else
        // One loop per multiplier kind, so that only the kind in use is evaluated.
        if (m_kind_q == KHmma) begin
          for (int c = 0; c < 64; c++) begin
            p_q[256*c +: 32] = pacq_fp_pkg::fp16_mul(m_a_q[c], m_w_q[c]);   // lane 0 only
          end
        end else begin
          for (int c = 0; c < 64; c++) begin
            if (m_use_q[c]) begin
              p_q[256*c +: 256] = pacq_fp_pkg::fpint_mul(m_a_q[c], m_w_q[c], m_z_q[c], m_bsel_q);
            end
          end
        end
`endif
      end

      // ---------------------------------------------------------------- F: operand select
      m_v_q = 1'b0;
      if (start_i || f_run_q) begin
        s    = start_i ? 10'd0 : f_step_q;
        kind = start_i ? kind_i : kind_q;
        bsel = start_i ? bsel_i : bsel_q;
        cpw  = start_i ? cpw_i : cpw_q;
        busy = start_i ? busy_i : busy_q;
        kind_q = kind; bsel_q = bsel; cpw_q = cpw; busy_q = busy;
        f_step_q = s + 10'd1;
        f_run_q  = s + 10'd1 != busy;
        cbits    = (bsel == 2'd0) ? 3'd1 : (bsel == 2'd1) ? 3'd2 : 3'd3;
        cmask    = ~(16'hFFFF << (5'd1 << cbits));
        kpos     = '0;
        r        = '0;
        if (kind == KKmma) begin
          spk = {4'b0, cpw, 2'b00};                          // 4 cpw steps per k
          k   = s / spk;
          r   = s % spk;
          kpos = 3'(k % 10'(cpw));
          mb  = (cpw == 4'd8) ? 4'(r >> 1) : (cpw == 4'd4) ? 4'(r) : 4'(r << 1);
          win = 4'((k / 10'(cpw)) * 10'(cpw) + ((cpw == 4'd8 && r[0]) ? 10'd4 : 10'd0));
          m_e_q  = 3'(r >> 2);
          m_qe_q = 4'b0001 << r[1:0];
        end else if (kind == KPmma && bsel == 2'd0) begin
          k   = s >> 3;
          mb  = {s[2:0], 1'b0};
          win = k[3:0];
          m_e_q  = s[2:0];
          m_qe_q = 4'b1111;
        end else begin
          k   = s >> 2;
          mb  = {s[1:0], 2'b00};
          win = k[3:0];
          m_e_q  = (kind == KHmma) ? 3'd0 : (bsel == 2'd1) ? {1'b0, s[1:0]} : {2'b0, s[1]};
          m_qe_q = (kind == KHmma) ? 4'b0001 << s[1:0] : (bsel == 2'd1) ? 4'b1111
                 : (s[0] ? 4'b1100 : 4'b0011);
        end
        m_first_q = k == 10'd0;
        m_last_q  = s + 10'd1 == busy;
        m_kind_q  = kind;
        m_bsel_q  = bsel;
        m_use_q   = (kind == KPmma && bsel == 2'd0) ? 64'h0000_0000_FFFF_FFFF : '1;
        for (int i = 0; i < 4; i++) begin
          arow  = a_row(mb + 4'(i));                        // A[m][k] (rows past 15 unused)
          av[i] = arow[16 * 32'(k[3:0]) +: 16];
        end
        bw = {b_row(win + 4'd3), b_row(win + 4'd2), b_row(win + 4'd1), b_row(win)};
        // One loop per kind, as in M.
        if (kind == KKmma) begin
          for (int unsigned c = 0; c < 64; c++) begin
            // cpw 2: slots 32..63 take activation 1 and the same columns as slots 0..31
            word = (cpw == 4'd2) ? bw[16 * (c & 31) +: 16] : bw[16*c +: 16];
            zb   = (cpw == 4'd2) ? z_i[8 * (c & 31) +: 8]                  // column n of the output
                 : (cpw == 4'd8 && r[0]) ? z_i[8 * (c + 64) +: 8] : z_i[8 * c +: 8];
            m_a_q[c] = av[(cpw == 4'd2) ? 2'(c >> 5) : 2'd0];
            m_w_q[c] = (word >> ({1'b0, kpos} << cbits)) & cmask;
            m_z_q[c] = {8'b0, zb} & cmask;
          end
        end else if (kind == KPmma) begin
          for (int unsigned c = 0; c < 64; c++) begin
            // The zero points of the word's cpw columns, packed as the codes are.
            for (int i = 0; i < 8; i++) z2[2*i +: 2] = z_i[8 * (8 * (c & 15) + i) +: 2];
            for (int i = 0; i < 4; i++) z4[4*i +: 4] = z_i[8 * (4 * (c & 15) + i) +: 4];
            for (int i = 0; i < 2; i++) z8[8*i +: 8] = z_i[8 * (2 * (c & 15) + i) +: 8];
            zw = (bsel == 2'd0) ? z2 : (bsel == 2'd1) ? z4 : z8;
            m_a_q[c] = av[2'(c >> 4)];
            m_w_q[c] = bw[16 * (c & 15) +: 16];
            m_z_q[c] = zw;
          end
        end else begin
          for (int unsigned c = 0; c < 64; c++) begin
            m_a_q[c] = av[2'(c >> 4)];
            m_w_q[c] = bw[16 * (c & 15) +: 16];
          end
        end
        m_v_q = 1'b1;
      end
    end
  end
endmodule

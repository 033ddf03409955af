// pacq_mma_unit: one matrix unit of a core (docs/simt.md 5, docs/rtl.md 1): 64 multiplier slots
// (the PacQ parallel FP-INT multiplier, or FP16 x FP16 for HMMA) and 256 FP32 accumulation adders.
// Accumulator i = 32 j + l holds output register j, lane l of the C/D block; it belongs to adder
// n = i % 256 as that adder's entry e = i / 256 (registers 8e .. 8e + 7 of the block).
//
// The core captures an instruction's A, B and z into registers (a_i, b_i, z_i) at its issue edge t
// and raises start_i for the next model cycle, with tag_i, which the unit hands back with every C
// request and D group (the core's warp and registers). The unit then runs the spec's steps in a
// three-stage pipeline, step s of the busy time in
//   F (t + 1 + s)  operand select: each slot's activation, packed word (or FP16) and zero points
//   M (t + 2 + s)  the 64 slots multiply
//   A (t + 3 + s)  the adders add each product to their accumulator
// so every accumulator receives the same additions in the same k order as the spec requires.
//
// Output-stationary schedule. The outputs are taken a group of registers at a time, and a group
// gets all 16 of its k steps before the next starts: step s is k = s % 16 of group g = s / 16.
// A group is 2 registers (HMMA, KMMA: 64 outputs, one product per slot), 4 (PMMA INT8: 64 slots x 2
// codes), or 8 (PMMA INT4: 64 x 4; INT2: 32 slots x 8). So each adder keeps a single running sum: it
// starts from C at a group's k = 0 and is copied into d_q, the drain copy, at its k = 15. So C and
// D stream a group at a time between the core's registers and the unit (docs/rtl.md 4):
//   C  in the cycle after a group's first F, c_req_o asks for entry c_e_o's quarters c_qe_o (adder
//      quarter j: registers 8e + 2j, 8e + 2j + 1); the core loads them into c_i (adder n at
//      [32n +: 32]) at the cycle's advancing edge, and the group's first A reads them at the next.
//   D  in the cycle after a group's last A, d_v_o offers the group's sums in d_o (as c_i); the core
//      writes them at the cycle's advancing edge. For the instruction's last group (d_last_o) that
//      edge is t + busy + 3 = t + busy - 1 + LAT_MMA_DRAIN, when the spec makes D ready.
// C and D registers are the same (rd ..), locked and pending for the whole busy time, so reading
// and writing them a group at a time is invisible to the spec. Only F reads a_i, b_i and z_i (the
// core may capture the next instruction at t + busy).
//
// Slot c of a step (h = lane parity: the lane's first or second half of the row's columns):
//   HMMA, KMMA  lane l = c / 2, register j = 2g + c % 2, row m = l / 2, column n = 8 cpw h + j
//               HMMA: A[m][k] x B[k][n]; KMMA: x code k % cpw of word (k / cpw, n)
//   PMMA INT4/8 lane l = c / 2, word w = 8h + 2g + c % 2 of row k, m = l / 2: its cpw codes
//   PMMA INT2   lane l = c (slots 0..31), word w = 8h + g, m = l / 2: its 8 codes
//
// Simulation and synthesis. In simulation the slots and adders are function calls inside the one
// clocked process, made only in the cycles that use them (Verilator evaluates combinational logic
// in every cycle, which would cost the idle clock its speed). Under SYNTHESIS they are 64
// pacq_mma_slot and 256 pacq_mma_acc instances (each an fp32_add with its running sum and drain
// copy), computing the same functions of pacq_fp_pkg, so that a hierarchical synthesis keeps one
// slot and one adder module; the operand selects are trees of 2:1 selects there. `make -C hw-fpga
// mma-syn` runs the SYNTHESIS branch as Yosys reads it next to the simulation branch and compares
// their C requests and D groups in every cycle.
module pacq_mma_unit #(
  parameter int unsigned TagW = 16
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                clear_i,    // a launch starts: drop any instruction in flight
  input  logic                adv_i,      // the model clock advances this cycle
  input  logic                start_i,    // an instruction was captured at the last model edge
  input  logic [1:0]          kind_i,     // KHmma, KPmma, KKmma below (read while start_i)
  input  logic [1:0]          bsel_i,     // 0 INT2, 1 INT4, 2 INT8
  input  logic [3:0]          cpw_i,      // codes per word (HMMA: 1)
  input  logic [9:0]          busy_i,     // steps
  input  logic [256*16-1:0]   a_i,        // A[m][k] at 16m + k (FP16)
  input  logic [256*16-1:0]   b_i,        // B words (or FP16) as in the register block
  input  logic [128*8-1:0]    z_i,        // zero point of column n in byte n
  input  logic [TagW-1:0]     tag_i,      // read while start_i
  // C requests and the C they load (+0.0 for .z)
  output logic                c_req_o,
  output logic [2:0]          c_e_o,      // entry: registers 8e .. 8e + 7 of the block
  output logic [3:0]          c_qe_o,     // adder quarters (register pairs) of the group
  output logic [TagW-1:0]     c_tag_o,
  input  logic [256*32-1:0]   c_i,        // entry c_e_o: register 8e + j, lane l at [32 (32j + l) +: 32]
  // D groups
  output logic                d_v_o,
  output logic                d_last_o,   // the instruction's last group
  output logic [2:0]          d_e_o,
  output logic [3:0]          d_qe_o,
  output logic [TagW-1:0]     d_tag_o,
  output logic [256*32-1:0]   d_o         // as c_i
);
  /*verilator inline_module*/
  // Matrix kinds as the core's decode numbers them (pacq_simt_pkg): the opcode's offset from HMMA.
  localparam logic [1:0] KHmma = 2'd0,
                         KPmma = 2'(pacq_abi_pkg::OpPmma - pacq_abi_pkg::OpHmma),
                         KKmma = 2'(pacq_abi_pkg::OpKmma - pacq_abi_pkg::OpHmma);
  // The last group's D reaches the core's registers at t + busy - 1 + LAT_MMA_DRAIN: F, M, A and
  // the edge that writes it.
  if (pacq_abi_pkg::LatMmaDrain != 4) begin : g_drain
    $error("pacq_mma_unit: the pipeline delivers D 4 cycles after the last step, not LAT_MMA_DRAIN");
  end

  // Pipeline registers. They belong to the one process `pipe` below, which reads each before it
  // writes it in every cycle (A, then M, then F; blocking assignments, lint/waivers.vlt), so they
  // are registers as non-blocking ones would be, and the simulator keeps no shadow of a wide
  // vector to copy in every cycle.
  // F state
  logic        f_run_q;                // steps after the first are left
  logic [9:0]  f_step_q, busy_q;
  logic [1:0]  kind_q, bsel_q;
  logic [3:0]  cpw_q;
  logic [TagW-1:0] tag_q;

  // F -> M
  logic        m_v_q, m_first_q, m_last_q, m_end_q;   // k = 0, k = 15, the instruction's last step
  logic [1:0]  m_kind_q, m_bsel_q;
  logic [TagW-1:0] m_tag_q;
  logic [2:0]  m_e_q;                  // accumulator entry of every active adder (the group's)
  logic [3:0]  m_qe_q;                 // active adder quarters (adders 64j .. 64j+63)
  logic [63:0] m_use_q;                // slots with a product this step
  logic [15:0] m_a_q [64];             // slot c's activation, packed word (or FP16), zero points
  logic [15:0] m_w_q [64];
  logic [15:0] m_z_q [64];

  // M -> A
  logic              a_v_q, a_first_q, a_last_q, a_end_q;
  logic [1:0]        a_kind_q, a_bsel_q;
  logic [TagW-1:0]   a_tag_q;
  logic [2:0]        a_e_q;
  logic [3:0]        a_qe_q;
  logic [64*256-1:0] p_q;              // slot c's products at [256c +: 256], lane i at +32i

  // Requests and groups for the core: non-blocking, so that the core reads them race-free at the
  // edge that changes them.
  logic              c_req_q, d_v_q, d_last_q;
  logic [2:0]        c_e_q, d_e_q;
  logic [3:0]        c_qe_q, d_qe_q;
  logic [TagW-1:0]   c_tag_q, d_tag_q;
  assign c_req_o = c_req_q;
  assign c_e_o   = c_e_q;
  assign c_qe_o  = c_qe_q;
  assign c_tag_o = c_tag_q;
  assign d_v_o    = d_v_q;
  assign d_last_o = d_last_q;
  assign d_e_o    = d_e_q;
  assign d_qe_o   = d_qe_q;
  assign d_tag_o  = d_tag_q;

`ifndef SYNTHESIS
  logic [256*32-1:0] acc_q;             // adder n's running sum at [32n +: 32]
  logic [256*32-1:0] d_q;               // the drain copy: adder n's sum after its group's last step
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

  // Adder n's product (register j % 8 = n / 32 of the group, lane l = n % 32): lane 0 of slot
  // 2l + j % 2 (HMMA, KMMA); lane j % 8 of slot l (INT2); lane j % 4 of slot 2l + j % 8 / 4 (INT4);
  // lane j % 2 of slot 2l + j % 4 / 2 (INT8).
  function automatic logic [31:0] addend(input int unsigned n);
    int unsigned l, j8;
    l  = n & 31;
    j8 = n >> 5;
    if (a_kind_q != KPmma)     addend = p_q[256 * (2 * l + (j8 & 1)) +: 32];
    else if (a_bsel_q == 2'd0) addend = p_q[256 * l + 32 * j8 +: 32];
    else if (a_bsel_q == 2'd1) addend = p_q[256 * (2 * l + (j8 >> 2)) + 32 * (j8 & 3) +: 32];
    else                       addend = p_q[256 * (2 * l + ((j8 >> 1) & 1)) + 32 * (j8 & 1) +: 32];
  endfunction

`ifdef SYNTHESIS
  // Adder n with its running sum and its drain copy (pacq_mma_acc).
  for (genvar n = 0; n < 256; n++) begin : gen_add
    pacq_mma_acc u_acc (
      .clk_i (clk_i), .step_i (!clear_i && adv_i && a_v_q), .use_i (a_qe_q[n >> 6]),
      .first_i (a_first_q), .last_i (a_last_q), .c_i (c_i[32*n +: 32]), .addend_i (addend(n)),
      .d_o (d_o[32*n +: 32])
    );
  end
`endif

  // Operand selects: row r of B (16 words or FP16 values), element e of a row, byte b of
  // z_i. For synthesis as trees of 2:1 selects written as expressions: Yosys builds a [16 i +: 16]
  // select as a shifter over the whole vector, and `if` chains inside the process's loops as one
  // huge decision tree. (No vector argument for the rows: the simulator would copy it at every call.)
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
  function automatic logic [255:0] b_row(input logic [3:0] r);
    b_row = row_tree(b_i, r);
  endfunction
  function automatic logic [15:0] el16(input logic [255:0] v, input logic [3:0] e);
    logic [127:0] t3;
    logic [63:0]  t2;
    logic [31:0]  t1;
    t3 = e[3] ? v[255:128] : v[127:0];
    t2 = e[2] ? t3[127:64] : t3[63:0];
    t1 = e[1] ? t2[63:32] : t2[31:0];
    el16 = e[0] ? t1[31:16] : t1[15:0];
  endfunction
  function automatic logic [7:0] z_byte(input logic [6:0] b);
    logic [511:0] t6;
    logic [255:0] t5;
    logic [127:0] t4;
    logic [63:0]  t3;
    logic [31:0]  t2;
    logic [15:0]  t1;
    t6 = b[6] ? z_i[1023:512] : z_i[511:0];
    t5 = b[5] ? t6[511:256] : t6[255:0];
    t4 = b[4] ? t5[255:128] : t5[127:0];
    t3 = b[3] ? t4[127:64] : t4[63:0];
    t2 = b[2] ? t3[63:32] : t3[31:0];
    t1 = b[1] ? t2[31:16] : t2[15:0];
    z_byte = b[0] ? t1[15:8] : t1[7:0];
  endfunction
`else
  function automatic logic [255:0] b_row(input logic [3:0] r);
    b_row = b_i[256 * 32'(r) +: 256];
  endfunction
  function automatic logic [15:0] el16(input logic [255:0] v, input logic [3:0] e);
    el16 = v[16 * 32'(e) +: 16];
  endfunction
  function automatic logic [7:0] z_byte(input logic [6:0] b);
    z_byte = z_i[8 * 32'(b) +: 8];
  endfunction
`endif

  // F's indices, one definition for the simulated process and the synthesis selects below.
  // Bits per code (2, 4, 8 as 1, 2, 3) and the mask of one code.
  function automatic logic [2:0] code_bits(input logic [1:0] bsel);
    code_bits = (bsel == 2'd0) ? 3'd1 : (bsel == 2'd1) ? 3'd2 : 3'd3;
  endfunction
  function automatic logic [15:0] code_mask(input logic [1:0] bsel);
    code_mask = ~(16'hFFFF << (5'd1 << code_bits(bsel)));
  endfunction
  // KMMA: the code position of step k in its word, and column n = 8 cpw h + 2g + x of lane half h
  // and slot parity x.
  function automatic logic [3:0] kmma_pos(input logic [1:0] kind, input logic [3:0] cpw,
                                          input logic [3:0] k);
    kmma_pos = (kind == KKmma) ? k & (cpw - 4'd1) : 4'd0;
  endfunction
  function automatic logic [6:0] kmma_col(input logic [3:0] cpw, input logic [4:0] g, input logic h,
                                          input logic x);
    kmma_col = (h ? {cpw, 3'b000} : 7'd0) + {1'b0, g, 1'b0} + {6'b0, x};
  endfunction
  // The B row lane half h reads: row k (HMMA, PMMA); KMMA: word row k / cpw holds column n at
  // flat word 16 (k - kpos) + n, so row (k - kpos) + n / 16.
  function automatic logic [3:0] b_row_of(input logic [1:0] kind, input logic [3:0] cpw,
                                          input logic [4:0] g, input logic [3:0] k, input logic h);
    b_row_of = (kind == KKmma) ? k - kmma_pos(kind, cpw, k) + 4'(kmma_col(cpw, g, h, 1'b0) >> 4) : k;
  endfunction
  // The word (column) of row k that slot c reads: PMMA INT2 8h + g of lane c; HMMA and PMMA
  // INT4/8 8h + 2g + c % 2 of lane c / 2.
  function automatic logic [3:0] slot_word(input logic [1:0] kind, input logic [1:0] bsel,
                                           input logic [3:0] g, input int unsigned c);
    slot_word = (kind == KPmma && bsel == 2'd0) ? 4'(8 * (c & 1)) + g
              : 4'(8 * ((c >> 1) & 1)) + {g[2:0], 1'b0} + 4'(c & 1);
  endfunction
  // PMMA: each word w's zero points (columns cpw w .. cpw w + cpw - 1), packed as its codes, at 16w.
  function automatic logic [255:0] z_image(input logic [1:0] bsel);
    logic [255:0] z2, z4, z8;
    for (int v = 0; v < 16; v++) begin
      for (int i = 0; i < 8; i++) z2[16*v + 2*i +: 2] = z_i[8 * (8 * v + i) +: 2];
      for (int i = 0; i < 4; i++) z4[16*v + 4*i +: 4] = z_i[8 * (4 * v + i) +: 4];
      for (int i = 0; i < 2; i++) z8[16*v + 8*i +: 8] = z_i[8 * (2 * v + i) +: 8];
    end
    z_image = (bsel == 2'd0) ? z2 : (bsel == 2'd1) ? z4 : z8;
  endfunction

`ifdef SYNTHESIS
  // F's operand selects as continuous logic (the simulation branch computes the same inside the
  // process, in the cycles that use them): Yosys's `proc` turns selects inside the process's
  // loops into decision trees that take it most of an hour.
  logic [8:0]  fs_s;                 // the step (busy <= 512)
  logic [1:0]  fs_kind, fs_bsel;
  logic [3:0]  fs_cpw, fs_k;
  logic [2:0]  fs_kpos;
  logic [4:0]  fs_g;
  logic [15:0] f_acol [16];
  logic [255:0] f_brow [2];
  logic [255:0] zimg;
  logic [15:0] f_a [64], f_w [64], f_z [64];
  assign fs_s     = start_i ? 9'd0 : f_step_q[8:0];
  assign fs_kind  = start_i ? kind_i : kind_q;
  assign fs_bsel  = start_i ? bsel_i : bsel_q;
  assign fs_cpw   = start_i ? cpw_i : cpw_q;
  assign fs_g     = fs_s[8:4];
  assign fs_k     = fs_s[3:0];
  assign fs_kpos  = 3'(kmma_pos(fs_kind, fs_cpw, fs_k));
  for (genvar m = 0; m < 16; m++) begin : gen_acol
    assign f_acol[m] = el16(a_i[256*m +: 256], fs_k);
  end
  for (genvar h = 0; h < 2; h++) begin : gen_brow
    assign f_brow[h] = row_tree(b_i, b_row_of(fs_kind, fs_cpw, fs_g, fs_k, h == 1));
  end
  assign zimg = z_image(fs_bsel);
  for (genvar c = 0; c < 64; c++) begin : gen_f
    logic [3:0]  w;
    logic [6:0]  col7;
    logic [15:0] word;
    assign w    = slot_word(fs_kind, fs_bsel, fs_g[3:0], c);
    assign col7 = kmma_col(fs_cpw, fs_g, ((c >> 1) & 1) == 1, (c & 1) == 1);
    assign word = el16(f_brow[(c >> 1) & 1], col7[3:0]);
    assign f_a[c] = (fs_kind == KPmma && fs_bsel == 2'd0) ? f_acol[(c >> 1) & 15] : f_acol[c >> 2];
    assign f_w[c] = (fs_kind == KKmma) ? (word >> ({1'b0, fs_kpos} << code_bits(fs_bsel)))
                                         & code_mask(fs_bsel)
                                       : el16(f_brow[0], w);
    assign f_z[c] = (fs_kind == KKmma) ? {8'b0, z_byte(col7)} & code_mask(fs_bsel) : el16(zimg, w);
  end
`endif

  // D leaves through d_q, a group at a time; the core reads it at the advancing edge after the
  // group's last step, never at one that writes it (the next group ends >= 16 steps later). Only F
  // reads a_i, b_i and z_i (the core may capture the next instruction at t + busy), and only a
  // group's first A reads c_i.
  always_ff @(posedge clk_i or negedge rst_ni) begin : pipe
    logic [9:0]  s, busy;
    logic [1:0]  kind, bsel;
    logic [3:0]  cpw;
    logic [4:0]  g;                    // the step's group
    logic [3:0]  k;                    // its k
`ifndef SYNTHESIS
    logic [2:0]  kpos;                 // KMMA: code position in the word
    logic [3:0]  w;                    // the slot's word (column)
    logic [2:0]  cbits;                // bits per code (2, 4, 8 as 1, 2, 3)
    logic [6:0]  col7;                 // KMMA: column n (B and z)
    logic [15:0] acol [16];            // A[m][k]
    logic [255:0] brow [2];
    logic [255:0] zimg;                // PMMA: word w's zero points, packed as its codes, at 16w
    logic [15:0] word, cmask;
    logic [31:0] sum;
`endif
    if (!rst_ni) begin
      f_run_q = 1'b0; f_step_q = '0; busy_q = '0; kind_q = '0; bsel_q = '0; cpw_q = '0;
      tag_q = '0;
      m_v_q = 1'b0; m_first_q = 1'b0; m_last_q = 1'b0; m_end_q = 1'b0; m_kind_q = '0;
      m_bsel_q = '0; m_e_q = '0; m_qe_q = '0; m_use_q = '0; m_tag_q = '0;
      a_v_q = 1'b0; a_first_q = 1'b0; a_last_q = 1'b0; a_end_q = 1'b0; a_kind_q = '0;
      a_bsel_q = '0; a_e_q = '0; a_qe_q = '0; a_tag_q = '0;
      c_req_q <= 1'b0; c_e_q <= '0; c_qe_q <= '0; c_tag_q <= '0;
      d_v_q <= 1'b0; d_last_q <= 1'b0; d_e_q <= '0; d_qe_q <= '0; d_tag_q <= '0;
    end else if (clear_i) begin
      f_run_q = 1'b0;
      m_v_q   = 1'b0;
      a_v_q   = 1'b0;
      c_req_q <= 1'b0;
      d_v_q   <= 1'b0;
    end else if (adv_i) begin
      // ---------------------------------------------------------------- A: the adders
`ifndef SYNTHESIS
      if (a_v_q) begin
        // Only the active quarters are visited (HMMA and KMMA use one per step).
        for (int unsigned j = 0; j < 4; j++) begin
          if (a_qe_q[j]) begin
            for (int unsigned n = 64 * j; n < 64 * j + 64; n++) begin
              sum = pacq_fp_pkg::fp32_add(a_first_q ? c_i[32*n +: 32] : acc_q[32*n +: 32], addend(n));
              acc_q[32*n +: 32] = sum;
              if (a_last_q) d_q[32*n +: 32] = sum;
            end
          end
        end
      end
`endif
      d_v_q    <= a_v_q && a_last_q;
      d_last_q <= a_end_q;
      d_e_q    <= a_e_q;
      d_qe_q   <= a_qe_q;
      d_tag_q  <= a_tag_q;

      // ---------------------------------------------------------------- M: the multiplier slots
      a_v_q = m_v_q;
      if (m_v_q) begin
        a_first_q = m_first_q;
        a_last_q  = m_last_q;
        a_end_q   = m_end_q;
        a_tag_q   = m_tag_q;
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
      c_req_q <= 1'b0;
      if (start_i || f_run_q) begin
        s    = start_i ? 10'd0 : f_step_q;
        kind = start_i ? kind_i : kind_q;
        bsel = start_i ? bsel_i : bsel_q;
        cpw  = start_i ? cpw_i : cpw_q;
        busy = start_i ? busy_i : busy_q;
        kind_q = kind; bsel_q = bsel; cpw_q = cpw; busy_q = busy;
        if (start_i) tag_q = tag_i;
        f_step_q = s + 10'd1;
        f_run_q  = s + 10'd1 != busy;
        g        = s[8:4];
        k        = s[3:0];
        m_first_q = k == 4'd0;
        m_last_q  = k == 4'd15;
        m_end_q   = s + 10'd1 == busy;
        m_tag_q   = tag_q;
        // Group g's entry (register / 8) and adder quarters (adder 32 (j % 8) + l).
        if (kind != KPmma) begin
          m_e_q  = 3'(g >> 2);
          m_qe_q = 4'b0001 << g[1:0];
        end else if (bsel == 2'd2) begin
          m_e_q  = 3'(g >> 1);
          m_qe_q = g[0] ? 4'b1100 : 4'b0011;
        end else begin
          m_e_q  = g[2:0];
          m_qe_q = 4'b1111;
        end
        m_kind_q  = kind;
        m_bsel_q  = bsel;
        c_req_q  <= k == 4'd0;
        c_e_q    <= m_e_q;
        c_qe_q   <= m_qe_q;
        c_tag_q  <= tag_q;
        m_use_q   = (kind == KPmma && bsel == 2'd0) ? 64'h0000_0000_FFFF_FFFF : '1;
`ifdef SYNTHESIS
        for (int c = 0; c < 64; c++) begin
          m_a_q[c] = f_a[c];
          m_w_q[c] = f_w[c];
          m_z_q[c] = f_z[c];
        end
`else
        cbits = code_bits(bsel);
        cmask = code_mask(bsel);
        kpos  = 3'(kmma_pos(kind, cpw, k));
        for (int m = 0; m < 16; m++) acol[m] = el16(a_i[256*m +: 256], k);
        for (int h = 0; h < 2; h++) brow[h] = b_row(b_row_of(kind, cpw, g, k, h == 1));
        // One loop per kind, as in M.
        if (kind == KKmma) begin
          for (int unsigned c = 0; c < 64; c++) begin
            col7 = kmma_col(cpw, g, ((c >> 1) & 1) == 1, (c & 1) == 1);
            word = el16(brow[(c >> 1) & 1], col7[3:0]);
            m_a_q[c] = acol[c >> 2];
            m_w_q[c] = (word >> ({1'b0, kpos} << cbits)) & cmask;
            m_z_q[c] = {8'b0, z_byte(col7)} & cmask;
          end
        end else if (kind == KPmma) begin
          zimg = z_image(bsel);
          for (int unsigned c = 0; c < 64; c++) begin
            w    = slot_word(kind, bsel, g[3:0], c);
            m_a_q[c] = acol[(bsel == 2'd0) ? (c >> 1) & 15 : c >> 2];
            m_w_q[c] = el16(brow[0], w);
            m_z_q[c] = el16(zimg, w);
          end
        end else begin
          for (int unsigned c = 0; c < 64; c++) begin
            w    = slot_word(kind, bsel, g[3:0], c);                          // column n
            m_a_q[c] = acol[c >> 2];
            m_w_q[c] = el16(brow[0], w);
          end
        end
`endif
        m_v_q = 1'b1;
      end
    end
  end
endmodule

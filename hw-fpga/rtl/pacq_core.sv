// pacq_core: one SIMT core of the PacQ machine (docs/simt.md): Warps warps of 32 lanes, 128 x 32-bit
// registers per lane, shared memory, integer/control, FP32/FP16 and load/store lanes, and MmaUnits
// matrix units (HMMA, PMMA, KMMA), with the in-order issue, scoreboard, stall accounting and
// activity counters of sections 6 and 7. Cycle for cycle equal to the Java cycle model.
//
// Time. The core runs on the model clock: state advances only in cycles with ce_i set (the engine
// freezes every core while the real memory system lags the timing model). now_i is the model
// cycle t of the current cycle; one clock edge with ce_i completes cycle t, exactly as the spec's
// "each cycle, in this order" paragraph:
//
//   1. results due at t are written (FPU/LDS pipelines, global loads at completion - 1, matrix
//      drains) and their registers become ready at t + 1; matrix units finishing release locks
//   2. tile end / next tile start (6.1)
//   3. issue: the first eligible warp after the last issuer (6.2) executes with the register
//      state at t; or one stall counter (6.4)
//   4. the LSU presents its next device-memory transaction (6.3); matrix units do one step
//
// Register readiness is kept as bits: pend (a write is outstanding), pend_ld (that write is a load:
// MEM stall reason), and per matrix unit a lock mask of its sources while busy. The registers
// themselves are pacq_rf, read and written through group ports: the issue stage (combinational)
// drives its read ports, and the results due in a cycle drive its write ports. Shared memory is
// pacq_smem (32 block-RAM banks); the result rings' data and the global load slots are small
// per-lane memories (pacq_lane_ram, distributed RAM). What the issuing instruction does is decided
// combinationally (execute, present, smem_pass); one clocked process per part of the state applies
// it (control, scoreboard, counters, global_lsu, smem_lsu, rings, mma_control), every register
// written by one process.
//
// Device memory. A global access presents one 64-byte transaction per distinct aligned block of
// its active lanes, one per cycle from the issue cycle; each presentation leaves as pres_* in the
// next cycle with its model cycle p = now - 1, and the engine's channel model answers with the
// completion cycle of the instruction's last transaction (comp_*). Read data arrive on rdata_*
// whenever the AXI memory delivers them; a load is written back at completion - 1 (ready at its
// completion). need_data_o asks the engine to freeze model time while a load is due but its data
// are still missing (never in simulation with the default memory model).
//
// Matrix units. A matrix instruction captures A, B and z from the registers at issue (its sources
// are locked for its busy time, so a real unit may stream them) into its unit's operand registers;
// the unit (pacq_mma_unit) does one step per cycle: HMMA/PMMA INT4/INT8 64 (activation, word)
// pairs per step over 64 steps, PMMA INT2 32 pairs over 128 steps, KMMA 64 single products per step
// over 64*cpw steps, every product added to its own FP32 accumulator in k order. C and D stream a
// group of at most 8 registers at a time: the core reads a group's C when the unit asks for it and
// writes a group's D when the unit offers it, the last group LAT_MMA_DRAIN cycles after the last
// step. The registers are locked (C) and pending (D) for the whole time, so no instruction sees
// them in between. The core keeps the busy time.
// The core's SYNTHESIS branches (lane, merge and pick instances; the register file's write data in
// every cycle) are selected by PACQ_SYN_CORE, which SYNTHESIS defines; build/rtlsim-core-syn
// defines it alone, to simulate them with the rest of the device in its simulation form.
`ifdef SYNTHESIS
`ifndef PACQ_SYN_CORE
`define PACQ_SYN_CORE
`endif
`endif

module pacq_core #(
  parameter int unsigned Warps     = pacq_abi_pkg::DefaultWarps,
  parameter int unsigned MmaUnits  = pacq_abi_pkg::DefaultMmaUnits,
  parameter int unsigned SmemBytes = pacq_abi_pkg::DefaultSmemBytes,
  parameter int unsigned Slots     = pacq_abi_pkg::MemMaxInflight
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          ce_i,
  input  logic [47:0]   now_i,

  // launch: constant from start_i until the kernel ends
  input  logic          start_i,        // prepare the first tile (model cycle 0 follows)
  input  logic          stop_i,         // the command has failed: issue nothing more
  input  logic [5:0]    core_id_i,
  input  logic [6:0]    ncores_i,
  input  logic [31:0]   entry_i,        // pc of a tile's first instruction
  input  logic [31:0]   pc_lo_i,        // valid pcs: [pc_lo, pc_hi)
  input  logic [31:0]   pc_hi_i,
  input  logic [31:0]   tiles_x_i,
  input  logic [31:0]   tiles_y_i,
  input  logic [31:0]   my_tiles_i,     // tiles this core runs: c, c + C, ...
  input  logic [31:0]   first_x_i,      // tile (x, y) of tile index c
  input  logic [31:0]   first_y_i,
  input  logic [31:0]   step_x_i,       // C = step_y * TILES_X + step_x, step_x < TILES_X
  input  logic [31:0]   step_y_i,
  input  logic [16*32-1:0] args_i,
  input  logic [63:0]   mem_bytes_i,    // device memory size (CAP_MEM)

  // program memory read port: data for the address registered in the previous cycle
  output logic [31:0]   fetch_addr_o,
  input  logic [63:0]   fetch_data_i,

  // device-memory transactions (one per cycle at most)
  output logic          pres_valid_o,
  output logic          pres_write_o,
  output logic          pres_last_o,    // the instruction's last transaction
  output logic [2:0]    pres_slot_o,
  output logic [25:0]   pres_block_o,   // address / 64
  output logic [31:0]   pres_lanes_o,   // lanes served by this transaction
  output logic [511:0]  pres_wdata_o,
  output logic [63:0]   pres_wstrb_o,
  input  logic          comp_valid_i,   // completion of the last transaction presented last cycle
  input  logic [2:0]    comp_slot_i,
  input  logic [47:0]   comp_cycle_i,
  input  logic          rdata_valid_i,  // read data of one transaction (real time)
  input  logic [2:0]    rdata_slot_i,
  input  logic [31:0]   rdata_lanes_i,
  input  logic [511:0]  rdata_i,
  output logic          need_data_o,

  // status
  output logic          done_o,         // no tile running and none left
  output logic [47:0]   end_cycle_o,    // cycle the core's last tile ended
  output logic          error_o,
  output logic [7:0]    err_status_o,
  output logic [63:0]   err_info_o,
  output logic [12*64-1:0] counters_o   // Cpl INSTRUCTIONS .. STALL_BARRIER (Cpl order)
);
  localparam int unsigned L       = pacq_abi_pkg::SimtLanes;
  localparam int unsigned R       = pacq_abi_pkg::SimtRegs;
  localparam logic [2:0]  UCtrl   = 3'(pacq_abi_pkg::UnitCtrl);
  localparam logic [2:0]  UAlu    = 3'(pacq_abi_pkg::UnitAlu);
  localparam logic [2:0]  UFpu    = 3'(pacq_abi_pkg::UnitFpu);
  localparam logic [2:0]  ULsu    = 3'(pacq_abi_pkg::UnitLsu);
  localparam logic [2:0]  UMma    = 3'(pacq_abi_pkg::UnitMma);
  localparam int unsigned WarpW   = (Warps > 1) ? $clog2(Warps) : 1;
  localparam int unsigned SlotW   = $clog2(Slots);
  localparam int unsigned LatFpu  = pacq_abi_pkg::LatFpu;
  localparam int unsigned LatSmem = pacq_abi_pkg::LatSmem;
  localparam int unsigned Launch  = pacq_abi_pkg::TileLaunchCycles;

  // Counter indices (Cpl order from INSTRUCTIONS).
  localparam int unsigned CInstr = 0, CRfRd = 1, CRfWr = 2, CSmem = 3, CDmemRd = 4, CDmemWr = 5,
                          CMul = 6, CAdd = 7, CStMem = 8, CStDep = 9, CStUnit = 10, CStBar = 11;

  localparam logic [1:0] WIdle = 2'd0, WRun = 2'd1, WBar = 2'd2;

  // Decoded instructions: the issuing warp's (d), the one fetched last cycle (fdec) and one warp's
  // during eligibility (dwi); a warp's is fdec when it was fetched last cycle, else its dec_q.
  // Module-level variables, because Yosys 0.23 resolves struct members only of those.
  pacq_simt_pkg::inst_t d, fdec, dwi;
  localparam int unsigned InstW = $bits(d);

  // ----------------------------------------------------------------------------- state
  // Per-warp, per-slot, per-ring-entry and per-unit fields are flat vectors, element i of a W-bit
  // field at [W*i +: W] (Yosys 0.23 reads no multi-dimensional packed arrays).
  // Warps.
  logic [32*Warps-1:0]     pc_q, mask_q;
  logic [2*Warps-1:0]      wstate_q;
  logic [InstW*Warps-1:0]  dec_q;         // each warp's next instruction, decoded at fetch
  logic [Warps-1:0]        fetch_pend_q;  // the next instruction arrives on fetch_data_i now
  logic [Warps-1:0]        pc_bad_q;      // pc outside the program: the instruction is illegal
  logic [128*Warps-1:0]    pend_q, pendld_q;
  logic [WarpW-1:0]        last_q;        // warp that issued last (round robin)
  logic [31:0]             fetch_addr_q;

  // Tiles.
  logic        tile_run_q;                // a tile is running
  logic [2:0]  launch_wait_q;             // cycles before warps may issue
  logic [31:0] tile_x_q, tile_y_q, tiles_left_q;
  logic        done_q;
  logic [47:0] end_cycle_q;

  // Errors.
  logic        error_q;
  logic [7:0]  err_status_q;
  logic [63:0] err_info_q;

  // Counters.
  logic [12*64-1:0]  ctr_q;          // counter i at [64*i +: 64]

  // LSU (global instruction being presented).
  logic [31:0]   lsu_rem_q;               // lanes whose transaction is not presented yet
  logic          lsu_store_q;
  logic [SlotW-1:0] lsu_slot_q;
  logic [32*L-1:0]  lsu_ea_q;             // lane l's byte address at [32l], its store data
  logic [128*L-1:0] lsu_wd_q;             // at [128l] (shared-memory passes use them too)
  logic [2:0]    lsu_size_q;

  // Global memory instructions in flight.
  logic [Slots-1:0]        slot_valid_q, slot_load_q, slot_known_q;
  logic [48*Slots-1:0]     slot_comp_q;
  logic [6*Slots-1:0]      slot_out_q;    // read transactions outstanding (real time)
  logic [WarpW*Slots-1:0]  slot_warp_q;
  logic [7*Slots-1:0]      slot_rd_q;
  logic [3*Slots-1:0]      slot_nregs_q, slot_size_q;
  logic [32*Slots-1:0]     slot_mask_q;
  // Per lane and slot: the lane's byte offset in its block, and its loaded bytes (pacq_lane_ram
  // per lane, below; read out for the arriving data's slot and the completing load's).
  logic [6*L-1:0]          slot_off_rd;
  logic [128*L-1:0]        slot_data_rd;

  // Result pipelines (ring of 8 entries indexed by issue cycle; due at issue + latency - 1).
  logic [7:0]              fpu_v_q, lds_v_q;
  logic [WarpW*8-1:0]      fpu_w_q, lds_w_q;
  logic [7*8-1:0]          fpu_rd_q, lds_rd_q;
  logic [32*8-1:0]         fpu_m_q, lds_m_q;
  logic [3*8-1:0]          lds_n_q;
  // Their data: pacq_lane_ram per lane (below), read out for the entry due.
  logic [32*L-1:0]         fpu_data_rd;
  logic [128*L-1:0]        lds_data_rd;

  // Matrix units.
  logic [10*MmaUnits-1:0]      mu_rem_q;  // busy cycles left including this one; 0: free
  logic [10*MmaUnits-1:0]      mu_busy_q;
  logic [2*MmaUnits-1:0]       mu_kind_q, mu_bsel_q;
  logic [4*MmaUnits-1:0]       mu_cpw_q;
  logic [WarpW*MmaUnits-1:0]   mu_warp_q;
  logic [128*MmaUnits-1:0]     mu_lock_q;
  logic [7*MmaUnits-1:0]       mu_rd_q;
  logic [MmaUnits-1:0]         mu_zacc_q;
  logic [MmaUnits-1:0]         mu_start_q; // captured at the last model edge: the unit starts
  // Each unit's operands as captured at issue (unit u at [W*u +: W]).
  logic [256*16*MmaUnits-1:0]  mu_a_q;    // A[m][k] at 16m + k
  logic [256*16*MmaUnits-1:0]  mu_b_q;    // B words / FP16 as in the block
  logic [128*8*MmaUnits-1:0]   mu_z_q;    // zero point of column n
  // C and D a group at a time (pacq_mma_unit's c_* and d_* ports). The tag the unit hands back
  // is the instruction's {.z, cpw, rd, warp}.
  localparam int unsigned TagW = 1 + 4 + 7 + WarpW;
  logic [MmaUnits-1:0]         mc_req, md_v, md_last;
  logic [3*MmaUnits-1:0]       mc_e, md_e;
  logic [4*MmaUnits-1:0]       mc_qe, md_qe;
  logic [TagW*MmaUnits-1:0]    mc_tag, md_tag;
  logic [256*32*MmaUnits-1:0]  mu_c_q;    // the requested group's C: register 8e + j, lane l at word 32j + l
  logic [256*32*MmaUnits-1:0]  md_data;   // the offered group's D, as mu_c_q

  // Shared memory (pacq_smem, below): 32 banks of 16 bytes, one row per bank and cycle. An
  // instruction takes one pass per cycle (the lowest waiting lane of each bank picks its row, and
  // every waiting lane on that row shares it) and replays until all its active lanes are served
  // (docs/simt.md 6.2: no instruction issues meanwhile). A pass's bank ports are registered, so
  // the banks act one cycle after it, and a load's data are taken one more cycle later.
  localparam int unsigned Banks   = pacq_abi_pkg::SmemBanks;
  localparam int unsigned SmemRows = SmemBytes / (pacq_abi_pkg::SmemBankBytes * Banks);
  localparam int unsigned RowW    = $clog2(SmemRows);
  logic [31:0]            sm_rem_q;       // lanes not served yet: the instruction replays
  logic                   sm_store_q, sm_dst_q;
  logic [2:0]             sm_size_q, sm_n_q;
  logic [WarpW-1:0]       sm_w_q;         // a load's result-ring entry, made at its last pass
  logic [6:0]             sm_rd_q;
  logic [31:0]            sm_m_q;
  logic [Banks-1:0]       sq_en_q;        // the bank ports of the pass made last cycle
  logic                   sq_we_q;
  logic [RowW*Banks-1:0]  sq_row_q;
  logic [128*Banks-1:0]   sq_wdata_q, sm_rdata;
  logic [16*Banks-1:0]    sq_wstrb_q;
  // A load pass one cycle (sp1) and two cycles (sp2) after it: its lanes, each lane's bank and
  // byte offset (address bits 8:0), the access size, and whether it is the last pass (then the
  // result ring's entry of its cycle takes the data).
  logic                   sp1_v_q, sp2_v_q, sp1_last_q, sp2_last_q;
  logic [2:0]             sp1_ring_q, sp2_ring_q, sp1_size_q, sp2_size_q;
  logic [31:0]            sp1_lanes_q, sp2_lanes_q;
  logic [9*32-1:0]        sp1_bo_q, sp2_bo_q;
  logic [128*L-1:0]       sm_buf_q;       // lanes served by a load's earlier passes

  // Registers (pacq_rf, below), read and written a group of consecutive registers per port.
  // Reads: A (ra .. ra+3), B (rb .. rb+3) and C (rd, or a matrix instruction's rz) of the issuing
  // instruction, and each matrix unit's C group. Writes: the ALU result at issue; the FPU result
  // or shared-memory load due (never both: equal latencies, one issue per cycle); the global load
  // completing (one per cycle: the channel completes transactions in distinct cycles); each
  // matrix unit's D group.
  localparam int unsigned PRdA = 0, PRdB = 1, PRdC = 2, PRdGrp = 3, NRd = 3 + MmaUnits;
  localparam int unsigned PWrAlu = 0, PWrPipe = 1, PWrLoad = 2, PWrGrp = 3, NWr = 3 + MmaUnits;
  logic [NRd-1:0]          rf_rd_en;
  logic [WarpW*NRd-1:0]    rf_rd_warp;
  logic [7*NRd-1:0]        rf_rd_base;
  logic [8192*NRd-1:0]     rf_q;          // port p, register base + j, lane l at [8192p + 1024j + 32l]
  logic [8*NWr-1:0]        rf_wr_en;
  logic [WarpW*NWr-1:0]    rf_wr_warp;
  logic [7*NWr-1:0]        rf_wr_base;
  logic [32*NWr-1:0]       rf_wr_lanes;
  logic [8192*NWr-1:0]     rf_wr_data;

  // Presentation outputs.
  logic          pres_valid_q, pres_write_q, pres_last_q;
  logic [2:0]    pres_slot_q;
  logic [25:0]   pres_block_q;
  logic [31:0]   pres_lanes_q;
  logic [511:0]  pres_wdata_q;
  logic [63:0]   pres_wstrb_q;

  // ------------------------------------------------------------------ combinational view
  // Lock mask of each warp: the sources of its busy matrix instructions.
  logic [128*Warps-1:0]    lock_w;
  logic                    any_mu_free;
  logic [$clog2(Slots+1)-1:0] inflight;
  logic                    need_data;
  logic [Slots-1:0]        comp_known;
  logic [48*Slots-1:0]     comp_at;

  always_comb begin
    for (int w = 0; w < Warps; w++) begin
      lock_w[128*w +: 128] = '0;
      for (int u = 0; u < MmaUnits; u++) begin
        if (mu_rem_q[10*u +: 10] != 10'd0 && mu_warp_q[WarpW*u +: WarpW] == WarpW'(w)) lock_w[128*w +: 128] = lock_w[128*w +: 128] | mu_lock_q[128*u +: 128];
      end
    end
    any_mu_free = 1'b0;
    for (int u = 0; u < MmaUnits; u++) begin
      if (mu_rem_q[10*u +: 10] == 10'd0) any_mu_free = 1'b1;
    end
    inflight = '0;
    need_data = 1'b0;
    for (int s = 0; s < Slots; s++) begin
      // A completion arriving this cycle counts at once (it may be due at the end of this cycle).
      comp_known[s] = slot_known_q[s] || (comp_valid_i && comp_slot_i == 3'(s));
      comp_at[48*s +: 48]    = (comp_valid_i && comp_slot_i == 3'(s)) ? comp_cycle_i : slot_comp_q[48*s +: 48];
      if (slot_valid_q[s]) inflight = inflight + 1'b1;
      if (slot_valid_q[s] && slot_load_q[s] && comp_known[s] && slot_out_q[6*s +: 6] != 6'd0
          && comp_at[48*s +: 48] - 48'd1 <= now_i) begin
        need_data = 1'b1;
      end
    end
  end

  assign need_data_o  = need_data && tile_run_q;
  assign fetch_addr_o = fetch_addr_q;

  // ----------------------------------------------------------------------------- helpers

  function automatic logic [31:0] sreg(input logic [4:0] s, input int unsigned lane,
                                       input logic [WarpW-1:0] w);
    logic [31:0] v;
    case (s)
      5'(pacq_abi_pkg::SregLane):      v = lane;
      5'(pacq_abi_pkg::SregWarp):      v = 32'(w);
      5'(pacq_abi_pkg::SregCore):      v = 32'(core_id_i);
      5'(pacq_abi_pkg::SregTileX):     v = tile_x_q;
      5'(pacq_abi_pkg::SregTileY):     v = tile_y_q;
      5'(pacq_abi_pkg::SregNwarps):    v = Warps;
      5'(pacq_abi_pkg::SregNcores):    v = 32'(ncores_i);
      5'(pacq_abi_pkg::SregNtilesX):   v = tiles_x_i;
      5'(pacq_abi_pkg::SregNtilesY):   v = tiles_y_i;
      5'(pacq_abi_pkg::SregSmemBytes): v = SmemBytes;
      default:                         v = args_i[32*s[3:0] +: 32];   // ARG0 .. ARG15 (16 .. 31)
    endcase
    sreg = v;
  endfunction

  function automatic logic [5:0] popcount32(input logic [31:0] v);
    logic [5:0] n;
    n = 6'd0;
    for (int i = 0; i < 32; i++) n = n + {5'b0, v[i]};
    popcount32 = n;
  endfunction

  // Lowest set bit as a one-hot mask.
  function automatic logic [31:0] lowest(input logic [31:0] v);
    lowest = v & (~v + 32'd1);
  endfunction

  // Shifts by a variable amount as log2 stages of constant shifts (the multiplexers a barrel
  // shifter is made of), in expressions: Yosys's `share` pass tries every pair of $shl/$shr cells
  // that sit in exclusive branches with a SAT problem of their whole cone, which for the core's
  // per-lane shifters took longer than the rest of its synthesis.
  function automatic logic [63:0] shl64(input logic [63:0] v, input logic [5:0] n);
    logic [63:0] r;
    r = v;
    for (int i = 0; i < 6; i++) r = n[i] ? r << (1 << i) : r;
    shl64 = r;
  endfunction

  // The byte strobe of an access of 2^size_log2 bytes at byte 0.
  function automatic logic [15:0] size_strobe(input logic [2:0] size_log2);
    unique case (size_log2)
      3'd0:    size_strobe = 16'h0001;
      3'd1:    size_strobe = 16'h0003;
      3'd2:    size_strobe = 16'h000f;
      3'd3:    size_strobe = 16'h00ff;
      default: size_strobe = 16'hffff;
    endcase
  endfunction

  // A model cycle of a running command completes at this edge; the ring entry (FPU results and
  // shared-memory loads) due in it.
  logic       adv;
  logic [2:0] due;
  assign adv = ce_i && !stop_i && !start_i;
  assign due = 3'(now_i[2:0] - 3'(LatFpu - 1));

  // ------------------------------------------------------------------- issue stage (6.1, 6.2)
  // From the state at t: whether the tile ends, each warp's eligibility and stall reason, the
  // warp that issues, its decoded instruction and its operands. Combinational, because the
  // register file's read ports need the issuing instruction's registers before the edge that
  // completes cycle t.
  logic             tile_end, issue, illegal;
  logic [WarpW-1:0] iw;
  logic [Warps-1:0] elig, r_mem, r_unit, r_dep, r_bar;
  logic [31:0]      act_mask;
  logic [5:0]       act;

  always_comb begin : issue_stage
    logic [127:0]     need;
    logic [WarpW-1:0] idx;
    // The instruction fetched last cycle (one address per core per cycle) is decoded once; it
    // lands in the buffers of the warps that asked for it (dec_q).
    fdec = (fetch_pend_q != '0) ? pacq_simt_pkg::decode(fetch_data_i) : '0;
    tile_end = inflight == '0;
    for (int w = 0; w < Warps; w++) begin
      if (wstate_q[2*w +: 2] != WIdle) tile_end = 1'b0;
    end
    elig = '0; r_mem = '0; r_unit = '0; r_dep = '0; r_bar = '0; dwi = '0; need = '0; idx = '0;
    issue = 1'b0; iw = '0;
    if (tile_run_q && !tile_end && sm_rem_q == '0) begin
      for (int w = 0; w < Warps; w++) begin
        dwi   = fetch_pend_q[w] ? fdec : dec_q[InstW*w +: InstW];
        need  = dwi.src | dwi.dst;
        if (wstate_q[2*w +: 2] == WRun && launch_wait_q == 3'd0) begin
          if (dwi.illegal || pc_bad_q[w]) begin
            elig[w] = 1'b1;                               // fails the command on issue
          end else begin
            elig[w] = ((need & pend_q[128*w +: 128]) == '0) && ((dwi.dst & lock_w[128*w +: 128]) == '0);
            if (dwi.unit == ULsu
                && (lsu_rem_q != '0 || (dwi.mem_global && 32'(inflight) >= Slots))) begin
              elig[w]  = 1'b0;
              r_mem[w] = 1'b1;
            end
            if (dwi.mma && !any_mu_free) begin
              elig[w]   = 1'b0;
              r_unit[w] = 1'b1;
            end
            if ((need & pend_q[128*w +: 128] & pendld_q[128*w +: 128]) != '0) r_mem[w] = 1'b1;
            if ((need & pend_q[128*w +: 128] & ~pendld_q[128*w +: 128]) != '0 || (dwi.dst & lock_w[128*w +: 128]) != '0)
              r_dep[w] = 1'b1;
          end
        end
        if (wstate_q[2*w +: 2] == WBar) r_bar[w] = 1'b1;
      end
      for (int i = 1; i <= Warps; i++) begin             // loose round robin
        idx = WarpW'((32'(last_q) + i) % Warps);
        if (!issue && elig[idx]) begin
          issue = 1'b1;
          iw    = idx;
        end
      end
    end
    d        = issue ? (fetch_pend_q[iw] ? fdec : dec_q[InstW*iw +: InstW]) : '0;
    illegal  = issue && (d.illegal || pc_bad_q[iw]);
    act_mask = d.mma ? 32'hFFFF_FFFF : mask_q[32*iw +: 32];
    act      = popcount32(act_mask);
  end

  // Operands at t: r0 reads 0, and so do B registers past r127 (a store's data group is checked
  // at decode; other instructions read only rb). The ALU lanes compute at issue.
  logic [4*1024-1:0] a_grp, b_grp;        // register ra + j / rb + j, lane l at [1024j + 32l]
  logic [1023:0]     c_row;               // rd, or a matrix instruction's rz
  logic [1023:0]     alu_res;

  always_comb begin : operands
    for (int j = 0; j < 4; j++) begin
      a_grp[1024*j +: 1024] = (32'(d.ra) + j == 0) ? '0 : rf_q[8192*PRdA + 1024*j +: 1024];
      b_grp[1024*j +: 1024] = (32'(d.rb) + j == 0 || 32'(d.rb) + j >= R) ? '0
                            : rf_q[8192*PRdB + 1024*j +: 1024];
    end
    c_row = ((d.mma ? d.rz : d.rd) == 7'd0) ? '0 : rf_q[8192*PRdC +: 1024];
  end

  // The lanes. Simulation calls the lane functions only in a cycle that issues to the unit (a
  // module instance would be evaluated in every cycle); synthesis builds 32 instances of each
  // lane, so that a hierarchical synthesis maps one lane once. The FP lanes' results enter the
  // result ring (LAT_FPU) in the cycle process.
`ifdef PACQ_SYN_CORE
  logic [1023:0] alu_lane, fpu_lane;
  for (genvar l = 0; l < L; l++) begin : g_lane
    pacq_lane_alu u_alu (
      .op_i  (d.op),
      .a_i   (a_grp[32*l +: 32]),
      .b_i   (b_grp[32*l +: 32]),
      .imm_i (d.imm),
      .pos_i (d.bf_pos),
      .len_i (d.bf_len),
      .r_o   (alu_lane[32*l +: 32])
    );
    pacq_lane_fpu u_fpu (
      .op_i (d.op),
      .a_i  (a_grp[32*l +: 32]),
      .b_i  (b_grp[32*l +: 32]),
      .c_i  (c_row[32*l +: 32]),
      .r_o  (fpu_lane[32*l +: 32])
    );
  end
`endif

  always_comb begin : alu_lanes
    alu_res = '0;
    if (issue && d.unit == UAlu) begin
      for (int l = 0; l < L; l++) begin
`ifdef PACQ_SYN_CORE
        alu_res[32*l +: 32] = (d.op == pacq_abi_pkg::OpS2r) ? sreg(d.imm[4:0], l, iw) : alu_lane[32*l +: 32];
`else
        alu_res[32*l +: 32] = (d.op == pacq_abi_pkg::OpS2r) ? sreg(d.imm[4:0], l, iw)
                            : pacq_simt_pkg::alu(d.op, a_grp[32*l +: 32], b_grp[32*l +: 32], d.imm,
                                                 d.bf_pos, d.bf_len);
`endif
      end
    end
  end

  // Register-file reads: the issuing instruction's groups, and each unit's C group when it asks.
  always_comb begin : rf_reads
    rf_rd_en = '0; rf_rd_warp = '0; rf_rd_base = '0;
    for (int p = 0; p < 3; p++) begin
      rf_rd_en[p] = issue;
      rf_rd_warp[WarpW*p +: WarpW] = iw;
    end
    rf_rd_base[7*PRdA +: 7] = d.ra;
    rf_rd_base[7*PRdB +: 7] = d.rb;
    rf_rd_base[7*PRdC +: 7] = d.mma ? d.rz : d.rd;
    for (int u = 0; u < MmaUnits; u++) begin               // tag: {.z, cpw, rd, warp}
      rf_rd_en[PRdGrp + u] = mc_req[u];
      rf_rd_warp[WarpW*(PRdGrp + u) +: WarpW] = mc_tag[TagW*u +: WarpW];
      rf_rd_base[7*(PRdGrp + u) +: 7] = mc_tag[TagW*u + WarpW +: 7] + {1'b0, mc_e[3*u +: 3], 3'b000};
    end
  end

  // Global instructions complete at their completion cycle; a load's data are written at
  // completion - 1 (ready at completion), once all of them have arrived.
  logic [Slots-1:0] comp_now, ld_done;
  logic             ld_any;               // a global load is written back in this cycle
  logic [SlotW-1:0] ld_slot;              // its slot
  always_comb begin
    ld_any  = 1'b0;
    ld_slot = '0;
    for (int s = Slots - 1; s >= 0; s--) begin
      comp_now[s] = slot_valid_q[s] && comp_known[s] && comp_at[48*s +: 48] - 48'd1 == now_i
                    && (!slot_load_q[s] || slot_out_q[6*s +: 6] == 6'd0);
      ld_done[s]  = comp_now[s] && slot_load_q[s];
      if (ld_done[s]) begin
        ld_any  = 1'b1;
        ld_slot = SlotW'(s);
      end
    end
  end

  // Register-file writes of cycle t (at its edge; ready at t + 1): which groups (rf_writes), and
  // their data (rf_wdata, below).
  always_comb begin : rf_writes
    logic [SlotW-1:0] ls;
    rf_wr_en = '0; rf_wr_warp = '0; rf_wr_base = '0; rf_wr_lanes = '0;
    // ALU results at issue (LAT_ALU = 1).
    if (adv && issue && !illegal && d.unit == UAlu && d.rd != 7'd0) rf_wr_en[8*PWrAlu] = 1'b1;
    rf_wr_warp[WarpW*PWrAlu +: WarpW] = iw;
    rf_wr_base[7*PWrAlu +: 7]         = d.rd;
    rf_wr_lanes[32*PWrAlu +: 32]      = act_mask;
    // FPU results and shared-memory loads issued at t - (latency - 1).
    if (fpu_v_q[due]) begin
      if (adv) rf_wr_en[8*PWrPipe] = 1'b1;
      rf_wr_warp[WarpW*PWrPipe +: WarpW] = fpu_w_q[WarpW*due +: WarpW];
      rf_wr_base[7*PWrPipe +: 7]         = fpu_rd_q[7*due +: 7];
      rf_wr_lanes[32*PWrPipe +: 32]      = fpu_m_q[32*due +: 32];
    end else if (lds_v_q[due]) begin
      for (int j = 0; j < 4; j++) begin
        if (adv && j < 32'(lds_n_q[3*due +: 3]) && 32'(lds_rd_q[7*due +: 7]) + j != 0)
          rf_wr_en[8*PWrPipe + j] = 1'b1;
      end
      rf_wr_warp[WarpW*PWrPipe +: WarpW] = lds_w_q[WarpW*due +: WarpW];
      rf_wr_base[7*PWrPipe +: 7]         = lds_rd_q[7*due +: 7];
      rf_wr_lanes[32*PWrPipe +: 32]      = lds_m_q[32*due +: 32];
    end
    // The global load completing at t + 1 (written at completion - 1).
    ls = ld_slot;
    if (ld_any) begin
      for (int j = 0; j < 4; j++) begin
        if (adv && j < 32'(slot_nregs_q[3*ls +: 3]) && 32'(slot_rd_q[7*ls +: 7]) + j != 0)
          rf_wr_en[8*PWrLoad + j] = 1'b1;
      end
      rf_wr_warp[WarpW*PWrLoad +: WarpW] = slot_warp_q[WarpW*ls +: WarpW];
      rf_wr_base[7*PWrLoad +: 7]         = slot_rd_q[7*ls +: 7];
      rf_wr_lanes[32*PWrLoad +: 32]      = slot_mask_q[32*ls +: 32];
    end
    // Each matrix unit's D group when it offers one (r0 and quarters outside the group skipped).
    for (int u = 0; u < MmaUnits; u++) begin
      rf_wr_warp[WarpW*(PWrGrp + u) +: WarpW] = md_tag[TagW*u +: WarpW];
      rf_wr_base[7*(PWrGrp + u) +: 7] = md_tag[TagW*u + WarpW +: 7] + {1'b0, md_e[3*u +: 3], 3'b000};
      rf_wr_lanes[32*(PWrGrp + u) +: 32] = '1;
      for (int j = 0; j < 8; j++) begin
        if (adv && md_v[u] && md_qe[4*u + j / 2]
            && 32'(md_tag[TagW*u + WarpW +: 7]) + 8 * 32'(md_e[3*u +: 3]) + j != 0)
          rf_wr_en[8*(PWrGrp + u) + j] = 1'b1;
      end
    end
  end

  // A group of 4 registers from a lane-major row (lane l's registers at [128l + 32j], as the rings
  // and load slots keep them) as the register file lays it out (register j, lane l at [1024j + 32l]),
  // each word cut to the load's size (1 and 2 bytes: zero-extended).
  function automatic logic [4095:0] lanes_to_regs(input logic [128*32-1:0] v, input logic [2:0] size_log2);
    logic [31:0] w;
    lanes_to_regs = '0;
    for (int j = 0; j < 4; j++) begin
      for (int l = 0; l < 32; l++) begin
        w = v[128*l + 32*j +: 32];
        if (size_log2 == 3'd0) w = {24'b0, w[7:0]};
        if (size_log2 == 3'd1) w = {16'b0, w[15:0]};
        lanes_to_regs[1024*j + 32*l +: 32] = w;
      end
    end
  endfunction

  // The write ports' data: synthesis drives them in every cycle; the simulation only in the cycles
  // that write them (they hold otherwise, and the register file ignores them), which spares it
  // copying 1024 words per cycle.
`ifdef PACQ_SYN_CORE
  always_comb begin : rf_wdata
    for (int p = 0; p < NWr; p++) rf_wr_data[8192*p +: 8192] = '0;
    rf_wr_data[8192*PWrAlu +: 1024]  = alu_res;
    rf_wr_data[8192*PWrPipe +: 4096] = fpu_v_q[due] ? {3072'b0, fpu_data_rd} : lanes_to_regs(lds_data_rd, 3'd2);
    rf_wr_data[8192*PWrLoad +: 4096] = lanes_to_regs(slot_data_rd, slot_size_q[3*ld_slot +: 3]);
    for (int u = 0; u < MmaUnits; u++) rf_wr_data[8192*(PWrGrp + u) +: 8192] = md_data[8192*u +: 8192];
  end
`else
  always_latch begin : rf_wdata
    if (rf_wr_en[8*PWrAlu +: 8] != '0) rf_wr_data[8192*PWrAlu +: 1024] = alu_res;
    if (rf_wr_en[8*PWrPipe +: 8] != '0)
      rf_wr_data[8192*PWrPipe +: 4096] = fpu_v_q[due] ? {3072'b0, fpu_data_rd} : lanes_to_regs(lds_data_rd, 3'd2);
    if (rf_wr_en[8*PWrLoad +: 8] != '0)
      rf_wr_data[8192*PWrLoad +: 4096] = lanes_to_regs(slot_data_rd, slot_size_q[3*ld_slot +: 3]);
    for (int u = 0; u < MmaUnits; u++) begin
      if (rf_wr_en[8*(PWrGrp + u) +: 8] != '0) rf_wr_data[8192*(PWrGrp + u) +: 8192] = md_data[8192*u +: 8192];
    end
  end
`endif

`ifndef SYNTHESIS
  // The one-per-cycle claims above, checked in simulation.
  always_ff @(posedge clk_i) begin
    if (ce_i && !stop_i && !start_i) begin
      if (fpu_v_q[3'(now_i[2:0] - 3'(LatFpu - 1))] && lds_v_q[3'(now_i[2:0] - 3'(LatFpu - 1))])
        $error("pacq_core: an FPU result and a shared-memory load are due in cycle %0d", now_i);
      if ($countones(ld_done) > 1)
        $error("pacq_core: two global loads complete in cycle %0d", now_i);
    end
  end
`endif
  if (LatFpu != LatSmem) begin : g_lat_check
    $error("pacq_core: the FPU and shared-memory loads share a register-file write port and need equal latencies");
  end
  if (LatSmem < 4 || pacq_abi_pkg::SmemBankBytes != 16 || Banks != 32) begin : g_smem_check
    $error("pacq_core: shared-memory passes need LAT_SMEM >= 4 and 32 banks of 16 bytes (lane address bits 8:4)");
  end

  // ------------------------------------------------------------------- what the issue does
  // The issuing instruction's effects at t are decided here, combinationally; the processes below
  // apply them, each owning one part of the state: control (warps, tiles, errors), scoreboard,
  // counters, the global LSU and its slots, shared-memory passes, result rings and matrix units.
  // One process per part keeps each small for synthesis (Yosys's proc passes grow with the
  // signals times the branches of a process) and names who writes what.
  localparam int unsigned MuW = (MmaUnits > 1) ? $clog2(MmaUnits) : 1;
  logic [32*L-1:0]  ea;                   // an LSU instruction's lane addresses (ra + imm)
  logic [128*L-1:0] ew;                   // and store data (rb .. rb+3), lane l at [32l] / [128l]
  logic [1023:0]    fpu_res;              // an FPU instruction's results
  logic             x_lsu, x_smem, x_glob, x_fpu, x_mma, x_err;
  logic [7:0]       x_status;
  logic [63:0]      x_info;
  logic [31:0]      next_pc, set_mask;
  logic [SlotW-1:0] free_slot;            // lowest free slot
  logic [MuW-1:0]   mu_sel;               // lowest free matrix unit

  always_comb begin : execute
    logic        fault, diverge, taken, x_ok;
    logic [31:0] addr, pc, z_ok;
    logic [32:0] end_addr;
    logic [63:0] fault_info;
    pc = pc_q[32*iw +: 32];
    addr = '0; end_addr = '0; diverge = 1'b0; taken = 1'b0; x_ok = 1'b0;
    x_lsu = 1'b0; x_smem = 1'b0; x_glob = 1'b0; x_fpu = 1'b0; x_mma = 1'b0; x_err = 1'b0;
    x_status = '0; x_info = '0; next_pc = '0; set_mask = '0; free_slot = '0; mu_sel = '0;
    ea = '0; ew = '0; fault = 1'b0; fault_info = '0; z_ok = '0;
    if (issue && d.unit == ULsu) begin
      for (int l = L - 1; l >= 0; l--) begin              // lowest faulting lane wins
        addr = a_grp[32*l +: 32] + d.imm;
        end_addr = {1'b0, addr} + (33'd1 << d.size_log2);
        if (act_mask[l] && ((addr & ((32'd1 << d.size_log2) - 32'd1)) != 32'b0
            || (d.mem_global && {31'b0, end_addr} > mem_bytes_i)
            || (d.mem_shared && end_addr > 33'(SmemBytes)))) begin
          fault      = 1'b1;
          fault_info = d.mem_shared ? {31'b0, 1'b1, addr} : {32'b0, addr};
        end
        ea[32*l +: 32]   = addr;
        ew[128*l +: 128] = {b_grp[3072 + 32*l +: 32], b_grp[2048 + 32*l +: 32], b_grp[1024 + 32*l +: 32],
                            b_grp[32*l +: 32]};
      end
    end
    if (issue && d.unit == UCtrl) begin
      for (int l = 0; l < L; l++) z_ok[l] = a_grp[32*l +: 32] == 32'b0;
    end
    set_mask = ~z_ok;                                     // SETMASK: lanes whose ra is not 0
    // BZ/BNZ: the active lanes must agree (an empty mask falls through).
    diverge = d.unit == UCtrl && (d.op == pacq_abi_pkg::OpBz || d.op == pacq_abi_pkg::OpBnz)
              && act_mask != '0 && (act_mask & z_ok) != act_mask && (act_mask & ~z_ok) != act_mask;
    taken   = d.unit == UCtrl && (d.op == pacq_abi_pkg::OpBra
              || (d.op == pacq_abi_pkg::OpBz && act_mask != '0 && (act_mask & z_ok) == act_mask)
              || (d.op == pacq_abi_pkg::OpBnz && act_mask != '0 && (act_mask & ~z_ok) == act_mask));
    next_pc = taken ? pc + d.imm : pc + 32'd1;

    x_ok     = adv && issue && !illegal;
    x_lsu    = x_ok && d.unit == ULsu;
    x_smem   = x_lsu && !fault && d.mem_shared;
    x_glob   = x_lsu && !fault && !d.mem_shared && act_mask != '0;
    x_fpu    = x_ok && d.unit == UFpu;
    x_mma    = x_ok && d.unit == UMma;
    x_err    = adv && issue && (illegal || diverge || (d.unit == ULsu && fault));
    x_status = illegal ? pacq_abi_pkg::StatusIllegalInstruction
             : diverge ? pacq_abi_pkg::StatusDivergence : pacq_abi_pkg::StatusAddressFault;
    x_info   = (illegal || diverge) ? {32'b0, pc} : fault_info;

    free_slot = '0;
    for (int s = Slots - 1; s >= 0; s--) begin
      if (!slot_valid_q[s]) free_slot = SlotW'(s);
    end
    mu_sel = '0;
    for (int u = MmaUnits - 1; u >= 0; u--) begin
      if (mu_rem_q[10*u +: 10] == 10'd0) mu_sel = MuW'(u);
    end
  end

  // The FP lanes (the result ring takes them, LAT_FPU).
  always_comb begin : fpu_lanes
    fpu_res = '0;
    if (issue && d.unit == UFpu) begin
      for (int l = 0; l < L; l++) begin
`ifdef PACQ_SYN_CORE
        fpu_res[32*l +: 32] = fpu_lane[32*l +: 32];
`else
        if (act_mask[l]) fpu_res[32*l +: 32] = pacq_simt_pkg::fpu(d.op, a_grp[32*l +: 32], b_grp[32*l +: 32],
                                                                  c_row[32*l +: 32]);
`endif
      end
    end
  end

  // Store data of `size_log2` bytes repeated across 16 bytes: an aligned access's byte k of a
  // 16-byte row (or quarter of a block) is then the data's byte k mod 16.
  function automatic logic [127:0] spread(input logic [127:0] v, input logic [2:0] size_log2);
    unique case (size_log2)
      3'd0:    spread = {16{v[7:0]}};
      3'd1:    spread = {8{v[15:0]}};
      3'd2:    spread = {4{v[31:0]}};
      3'd3:    spread = {2{v[63:0]}};
      default: spread = v;
    endcase
  endfunction

  // ------------------------------------------------------------------- control (6.1, 6.2)
  // Tiles, warps (pc, mask, state, fetch) and errors.
  always_ff @(posedge clk_i or negedge rst_ni) begin : control
    logic [2*Warps-1:0] wst_n;
    logic               waiting, blocked;
    if (!rst_ni) begin
      pc_q <= '0; mask_q <= '0; wstate_q <= '0; dec_q <= '0; fetch_pend_q <= '0; pc_bad_q <= '0;
      last_q <= '0; fetch_addr_q <= '0;
      tile_run_q <= 1'b0; launch_wait_q <= '0; tile_x_q <= '0; tile_y_q <= '0; tiles_left_q <= '0;
      done_q <= 1'b1; end_cycle_q <= '0;
      error_q <= 1'b0; err_status_q <= '0; err_info_q <= '0;
    end else begin
      wst_n = wstate_q;
      waiting = 1'b0;
      blocked = 1'b0;
      if (start_i) begin
        // The first tile starts at model cycle 0; warps issue from TILE_LAUNCH_CYCLES.
        done_q        <= my_tiles_i == 32'd0;
        tile_run_q    <= my_tiles_i != 32'd0;
        tiles_left_q  <= my_tiles_i;
        tile_x_q      <= first_x_i;
        tile_y_q      <= first_y_i;
        launch_wait_q <= 3'(Launch);
        end_cycle_q   <= '0;
        error_q       <= 1'b0;
        last_q        <= WarpW'(Warps - 1);
        for (int w = 0; w < Warps; w++) begin
          wst_n[2*w +: 2]    = (my_tiles_i != 32'd0) ? WRun : WIdle;
          pc_q[32*w +: 32]   <= entry_i;
          mask_q[32*w +: 32] <= '1;
          pc_bad_q[w]        <= entry_i < pc_lo_i || entry_i >= pc_hi_i;
        end
        fetch_pend_q <= '1;
        fetch_addr_q <= entry_i;
      end else if (ce_i && !stop_i) begin
        // The instruction fetched last cycle lands in the buffers of the warps that asked for it.
        for (int w = 0; w < Warps; w++) begin
          if (fetch_pend_q[w]) dec_q[InstW*w +: InstW] <= fdec;
        end
        fetch_pend_q <= '0;
        if (tile_run_q) begin
          if (tile_end) begin
            end_cycle_q <= now_i;
            if (tiles_left_q == 32'd1) begin
              tile_run_q   <= 1'b0;
              done_q       <= 1'b1;
              tiles_left_q <= 32'd0;
            end else begin
              // The next tile starts at t; its warps issue from t + TILE_LAUNCH_CYCLES.
              tiles_left_q  <= tiles_left_q - 32'd1;
              launch_wait_q <= 3'(Launch - 1);
              last_q        <= WarpW'(Warps - 1);
              if (tile_x_q + step_x_i >= tiles_x_i) begin
                tile_x_q <= tile_x_q + step_x_i - tiles_x_i;
                tile_y_q <= tile_y_q + step_y_i + 32'd1;
              end else begin
                tile_x_q <= tile_x_q + step_x_i;
                tile_y_q <= tile_y_q + step_y_i;
              end
              for (int w = 0; w < Warps; w++) begin
                wst_n[2*w +: 2]    = WRun;
                pc_q[32*w +: 32]   <= entry_i;
                mask_q[32*w +: 32] <= '1;
                pc_bad_q[w]        <= entry_i < pc_lo_i || entry_i >= pc_hi_i;
              end
              fetch_pend_q <= '1;
              fetch_addr_q <= entry_i;
            end
          end else begin
            if (launch_wait_q != 3'd0) launch_wait_q <= launch_wait_q - 3'd1;
            if (issue) begin
              last_q <= iw;
              if (x_err) begin
                error_q      <= 1'b1;
                err_status_q <= x_status;
                err_info_q   <= x_info;
              end
              if (!illegal) begin
                for (int w = 0; w < Warps; w++) begin
                  if (WarpW'(w) == iw) begin
                    pc_q[32*w +: 32] <= next_pc;
                    pc_bad_q[w]      <= next_pc < pc_lo_i || next_pc >= pc_hi_i;
                    fetch_pend_q[w]  <= 1'b1;
                    if (d.unit == UCtrl) begin
                      unique case (d.op)
                        pacq_abi_pkg::OpSetmask: mask_q[32*w +: 32] <= set_mask;
                        pacq_abi_pkg::OpUnmask:  mask_q[32*w +: 32] <= '1;
                        pacq_abi_pkg::OpExit:    wst_n[2*w +: 2] = WIdle;
                        pacq_abi_pkg::OpBar:     wst_n[2*w +: 2] = WBar;
                        default: ;
                      endcase
                    end
                  end
                end
                fetch_addr_q <= next_pc;
                // Barrier release: after this cycle every warp that has not exited waits at a bar.
                if (d.op == pacq_abi_pkg::OpBar || d.op == pacq_abi_pkg::OpExit) begin
                  for (int w = 0; w < Warps; w++) begin
                    if (wst_n[2*w +: 2] == WBar) waiting = 1'b1;
                    if (wst_n[2*w +: 2] == WRun) blocked = 1'b1;
                  end
                  if (waiting && !blocked) begin
                    for (int w = 0; w < Warps; w++) begin
                      if (wst_n[2*w +: 2] == WBar) wst_n[2*w +: 2] = WRun;
                    end
                  end
                end
              end
            end
          end
        end
      end
      wstate_q <= wst_n;
    end
  end

  // ------------------------------------------------------------------- scoreboard
  // An instruction's destinations become pending at issue (loads' as loads: the MEM stall
  // reason); results due at t make their registers ready at t + 1. Issue needs its destinations
  // not pending, so no result due in its cycle clears them.
  // The registers that the results due at t write (r0 never pending), apart from the scoreboard's
  // branches (a function called in a branch of a large process costs Yosys's proc_mux a signal per
  // call and branch) and only in the cycles they are due (what Verilator runs in every cycle).
  logic [127:0]         fpu_due_regs, lds_due_regs;
  logic [128*Slots-1:0] slot_regs;              // a completing global load's, slot s at [128s]
  always_comb begin : due_regs
    fpu_due_regs = '0; lds_due_regs = '0; slot_regs = '0;
    if (fpu_v_q[due]) fpu_due_regs = pacq_simt_pkg::range_mask({1'b0, fpu_rd_q[7*due +: 7]}, 8'd1);
    if (lds_v_q[due])
      lds_due_regs = pacq_simt_pkg::range_mask({1'b0, lds_rd_q[7*due +: 7]}, {5'b0, lds_n_q[3*due +: 3]});
    if (ld_any) begin
      for (int s = 0; s < Slots; s++) begin
        if (ld_done[s])
          slot_regs[128*s +: 128] = pacq_simt_pkg::range_mask({1'b0, slot_rd_q[7*s +: 7]},
                                                              {5'b0, slot_nregs_q[3*s +: 3]});
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : scoreboard
    logic [127:0] p, pl, clr, clr_p;
    logic         ld;
    if (!rst_ni) begin
      pend_q <= '0; pendld_q <= '0;
    end else if (start_i) begin
      pend_q <= '0; pendld_q <= '0;
    end else if (ce_i && !stop_i) begin
      ld = (x_smem || x_glob) && !d.store;
      for (int w = 0; w < Warps; w++) begin
        p   = pend_q[128*w +: 128];
        pl  = pendld_q[128*w +: 128];
        clr = '0;                                     // pend and pendld
        clr_p = '0;                                   // pend only
        if (WarpW'(w) == iw && (x_fpu || x_mma || ld)) begin
          p  = p | d.dst;
          pl = ld ? (pl | d.dst) : (pl & ~d.dst);
        end
        // FPU result and shared-memory load issued at t - (latency - 1).
        if (fpu_v_q[due] && fpu_w_q[WarpW*due +: WarpW] == WarpW'(w))
          clr_p = clr_p | fpu_due_regs;
        if (lds_v_q[due] && lds_w_q[WarpW*due +: WarpW] == WarpW'(w)) begin
          clr = clr | lds_due_regs;
        end
        // Global loads completing (written by rf_writes).
        for (int s = 0; s < Slots; s++) begin
          if (ld_done[s] && slot_warp_q[WarpW*s +: WarpW] == WarpW'(w)) begin
            clr = clr | slot_regs[128*s +: 128];
          end
        end
        // A matrix instruction's last D group makes its whole D ready (tag: {.z, cpw, rd, warp}).
        for (int u = 0; u < MmaUnits; u++) begin
          if (md_v[u] && md_last[u] && md_tag[TagW*u +: WarpW] == WarpW'(w))
            clr_p = clr_p | pacq_simt_pkg::range_mask({1'b0, md_tag[TagW*u + WarpW +: 7]},
                                                      {1'b0, md_tag[TagW*u + WarpW + 7 +: 4], 3'b000});
        end
        pend_q[128*w +: 128]   <= p & ~clr & ~clr_p;
        pendld_q[128*w +: 128] <= pl & ~clr;
      end
    end
  end

  // ------------------------------------------------------------------- counters (6.4, 7)
  always_ff @(posedge clk_i or negedge rst_ni) begin : counters
    logic [12*64-1:0] c;
    logic             stall_any;
    if (!rst_ni) begin
      ctr_q <= '0;
    end else if (start_i) begin
      ctr_q <= '0;
    end else if (ce_i && !stop_i) begin
      c = ctr_q;
      stall_any = 1'b0;
      for (int w = 0; w < Warps; w++) begin
        if (wstate_q[2*w +: 2] != WIdle) stall_any = 1'b1;
      end
      if (tile_run_q && !tile_end && !issue && stall_any && launch_wait_q == 3'd0) begin
        // MEM > UNIT > BARRIER > DEP (a barrier never holds every live warp); a replay cycle is
        // MEM.
        if (r_mem != '0 || sm_rem_q != '0) c[64*CStMem +: 64]  = c[64*CStMem +: 64] + 64'd1;
        else if (r_unit != '0) c[64*CStUnit +: 64] = c[64*CStUnit +: 64] + 64'd1;
        else if (r_bar != '0)  c[64*CStBar +: 64]  = c[64*CStBar +: 64] + 64'd1;
        else if (r_dep != '0)  c[64*CStDep +: 64]  = c[64*CStDep +: 64] + 64'd1;
      end
      if (issue) begin
        c[64*CInstr +: 64] = c[64*CInstr +: 64] + 64'd1;
        if (d.mma) begin
          c[64*CRfRd +: 64] = c[64*CRfRd +: 64] + 64'(d.nsrc) * 64'd32;
          c[64*CRfWr +: 64] = c[64*CRfWr +: 64] + 64'(d.ndst) * 64'd32;
        end else if (d.op == pacq_abi_pkg::OpSetmask) begin
          c[64*CRfRd +: 64] = c[64*CRfRd +: 64] + 64'(d.nsrc) * 64'd32;
        end else begin
          c[64*CRfRd +: 64] = c[64*CRfRd +: 64] + 64'(d.nsrc) * 64'(act);
          c[64*CRfWr +: 64] = c[64*CRfWr +: 64] + 64'(d.ndst) * 64'(act);
        end
      end
      if (x_fpu) begin
        if (d.op == pacq_abi_pkg::OpFmul || d.op == pacq_abi_pkg::OpFfma || d.op == pacq_abi_pkg::OpFmac)
          c[64*CMul +: 64] = c[64*CMul +: 64] + 64'(act);
        if (d.op == pacq_abi_pkg::OpHmul2)
          c[64*CMul +: 64] = c[64*CMul +: 64] + 64'(act) * 64'd2;
        if (d.op == pacq_abi_pkg::OpFadd || d.op == pacq_abi_pkg::OpFsub
            || d.op == pacq_abi_pkg::OpFfma || d.op == pacq_abi_pkg::OpFmac)
          c[64*CAdd +: 64] = c[64*CAdd +: 64] + 64'(act);
      end
      if (x_smem) c[64*CSmem +: 64] = c[64*CSmem +: 64] + 64'(act) * (64'd1 << d.size_log2);
      if (x_mma) begin
        c[64*CMul +: 64] = c[64*CMul +: 64] + 64'd4096 * 64'(d.cpw);
        c[64*CAdd +: 64] = c[64*CAdd +: 64] + 64'd4096 * 64'(d.cpw);
      end
      if (pv && pv_store)  c[64*CDmemWr +: 64] = c[64*CDmemWr +: 64] + 64'(pacq_abi_pkg::DmemTxBytes);
      if (pv && !pv_store) c[64*CDmemRd +: 64] = c[64*CDmemRd +: 64] + 64'(pacq_abi_pkg::DmemTxBytes);
      ctr_q <= c;
    end
  end

  // ------------------------------------------------------------------- global LSU (6.3)
  // Transaction i of a global instruction issued at t is presented at t + i: the lowest waiting
  // lane's 64-byte block, with every waiting lane in it (their stores merged in ascending lane
  // order: the highest lane wins).
  logic             pv, pv_store, pv_last;
  logic [31:0]      pv_members;           // the instruction's lanes still waiting
  assign pv_members = x_glob ? act_mask : lsu_rem_q;
  assign pv         = adv && tile_run_q && pv_members != '0;
  logic [SlotW-1:0] pv_slot;
  logic [25:0]      pv_block;
  logic [31:0]      pv_lanes, pv_rem;
  logic [511:0]     pv_data;
  logic [63:0]      pv_strb;

  always_comb begin : present
    logic [31:0] lead;
    logic [25:0] a;                       // a lane's block
    a = '0; lead = '0;
    pv_store = x_glob ? d.store : lsu_store_q;
    pv_slot  = x_glob ? free_slot : lsu_slot_q;
    pv_block = '0; pv_lanes = '0;
    if (pv) begin
      lead = lowest(pv_members);
      for (int l = 0; l < L; l++) begin
        a = x_glob ? ea[32*l + 6 +: 26] : lsu_ea_q[32*l + 6 +: 26];
        if (lead[l]) pv_block = a;
      end
      for (int l = 0; l < L; l++) begin
        a = x_glob ? ea[32*l + 6 +: 26] : lsu_ea_q[32*l + 6 +: 26];
        if (pv_members[l] && a == pv_block) pv_lanes[l] = 1'b1;
      end
    end
    pv_rem  = pv_members & ~pv_lanes;
    pv_last = pv_rem == '0;
  end

  // The instruction being presented and the slots of global instructions in flight.
  always_ff @(posedge clk_i or negedge rst_ni) begin : global_lsu
    logic [6*Slots-1:0] out_n;
    if (!rst_ni) begin
      lsu_rem_q <= '0; lsu_store_q <= 1'b0; lsu_slot_q <= '0; lsu_size_q <= '0;
      slot_valid_q <= '0; slot_load_q <= '0; slot_known_q <= '0; slot_comp_q <= '0; slot_out_q <= '0;
      slot_warp_q <= '0; slot_rd_q <= '0; slot_nregs_q <= '0; slot_size_q <= '0; slot_mask_q <= '0;
      pres_valid_q <= 1'b0; pres_write_q <= 1'b0; pres_last_q <= 1'b0; pres_slot_q <= '0;
      pres_block_q <= '0; pres_lanes_q <= '0; pres_wdata_q <= '0; pres_wstrb_q <= '0;
    end else begin
      out_n = slot_out_q;
      // Real time: read data of one transaction land in its slot (pacq_lane_ram, below).
      for (int s = 0; s < Slots; s++) begin
        if (rdata_valid_i && rdata_slot_i == 3'(s)) out_n[6*s +: 6] = out_n[6*s +: 6] - 6'd1;
      end
      if (start_i) begin
        out_n = '0;
        slot_valid_q <= '0;
        lsu_rem_q    <= '0;
        pres_valid_q <= 1'b0;
      end else if (ce_i && !stop_i) begin
        pres_valid_q <= 1'b0;
        for (int s = 0; s < Slots; s++) begin
          if (comp_valid_i && comp_slot_i == 3'(s)) begin
            slot_known_q[s]         <= 1'b1;
            slot_comp_q[48*s +: 48] <= comp_cycle_i;
          end
          if (x_glob && free_slot == SlotW'(s)) begin
            slot_valid_q[s]                <= 1'b1;
            slot_load_q[s]                 <= !d.store;
            slot_known_q[s]                <= 1'b0;
            slot_warp_q[WarpW*s +: WarpW]  <= iw;
            slot_rd_q[7*s +: 7]            <= d.rd;
            slot_nregs_q[3*s +: 3]         <= d.nregs;
            slot_size_q[3*s +: 3]          <= d.size_log2;
            slot_mask_q[32*s +: 32]        <= act_mask;
            out_n[6*s +: 6] = '0;
          end
          if (pv && !pv_store && pv_slot == SlotW'(s)) out_n[6*s +: 6] = out_n[6*s +: 6] + 6'd1;
          if (comp_now[s]) slot_valid_q[s] <= 1'b0;
        end
        if (x_glob) begin
          lsu_store_q <= d.store;
          lsu_slot_q  <= free_slot;
          lsu_size_q  <= d.size_log2;
        end
        if (pv) begin
          pres_valid_q <= 1'b1;
          pres_write_q <= pv_store;
          pres_slot_q  <= 3'(pv_slot);
          pres_last_q  <= pv_last;
          pres_block_q <= pv_block;
          pres_lanes_q <= pv_lanes;
          pres_wdata_q <= pv_data;
          pres_wstrb_q <= pv_strb;
          lsu_rem_q    <= pv_rem;
        end
      end
      slot_out_q <= out_n;
    end
  end

  // An LSU instruction's lane addresses and store data, for its later transactions and passes.
  always_ff @(posedge clk_i) begin : lsu_lanes
    if (x_lsu) begin
      lsu_ea_q <= ea;
      lsu_wd_q <= ew;
    end
  end

  // ------------------------------------------------------------------- shared-memory passes (6.2)
  // One row per bank: the lowest waiting lane of a bank picks the row, and every waiting lane on
  // that row is served. A store's lanes are merged in ascending order (the highest wins); a
  // load's lanes take their data two cycles later (sp2, below).
  logic                  sp, sp_store, sp_last;
  logic [2:0]            sp_size;
  logic [31:0]           sp_served, sp_rem;
  logic [Banks-1:0]      sp_found;
  logic [RowW*Banks-1:0] sp_row;
  logic [128*Banks-1:0]  sp_wdata;
  logic [16*Banks-1:0]   sp_wstrb;

  assign sp_size  = x_smem ? d.size_log2 : sm_size_q;
  assign sp       = adv && tile_run_q && (x_smem || sm_rem_q != '0);
  assign sp_store = x_smem ? d.store : sm_store_q;

  // ------------------------------------------------------------------- the LSU lanes' bytes
  // The lanes of the LSU instruction of this cycle (ea and ew at its issue, lsu_ea_q and lsu_wd_q in
  // its later transactions or passes): each lane's byte enables in its 16-byte word (a bank's row,
  // a quarter of a block) and its data spread across the word, in the cycles that present a
  // transaction or make a store pass. A global instruction's transactions and a shared-memory
  // instruction's passes never share a cycle: neither issues before the other's have ended.
  logic [2:0]       ls_size;
  logic [16*L-1:0]  ls_strb;
  logic [128*L-1:0] ls_word;
  assign ls_size = x_lsu ? d.size_log2 : (lsu_rem_q != '0) ? lsu_size_q : sm_size_q;
  always_comb begin : lsu_bytes
    ls_strb = '0;
    ls_word = '0;
    if (pv || (sp && sp_store)) begin
      for (int l = 0; l < L; l++) begin
        ls_strb[16*l +: 16]   = 16'(shl64({48'b0, size_strobe(ls_size)},
                                          {2'b0, x_lsu ? ea[32*l +: 4] : lsu_ea_q[32*l +: 4]}));
        ls_word[128*l +: 128] = spread(x_lsu ? ew[128*l +: 128] : lsu_wd_q[128*l +: 128], ls_size);
      end
    end
  end

  // A transaction's data and byte enables: each 16-byte quarter of the block merges its lanes
  // (ls_word, ls_strb), the highest lane winning.
`ifdef PACQ_SYN_CORE
  logic [4*L-1:0] pv_qsel;                // lanes of the transaction in quarter q at [Lq]
  always_comb begin : pv_quarters
    for (int q = 0; q < 4; q++) begin
      for (int l = 0; l < L; l++)
        pv_qsel[L*q + l] = pv_lanes[l] && (x_glob ? ea[32*l + 4 +: 2] : lsu_ea_q[32*l + 4 +: 2]) == 2'(q);
    end
  end
  for (genvar q = 0; q < 4; q++) begin : g_pv_merge
    pacq_lane_merge #(.Lanes (L)) u_merge (
      .sel_i  (pv_qsel[L*q +: L]),
      .strb_i (ls_strb),
      .data_i (ls_word),
      .data_o (pv_data[128*q +: 128]),
      .strb_o (pv_strb[16*q +: 16])
    );
  end
`else
  always_comb begin : pv_merge
    logic [1:0] q;
    q = '0; pv_data = '0; pv_strb = '0;
    if (pv) begin
      for (int l = 0; l < L; l++) begin                 // ascending: the highest lane wins
        if (pv_lanes[l]) begin
          q = x_glob ? ea[32*l + 4 +: 2] : lsu_ea_q[32*l + 4 +: 2];
          pv_data[128*q +: 128] = pacq_simt_pkg::merge_bytes(pv_data[128*q +: 128], ls_word[128*l +: 128],
                                                             ls_strb[16*l +: 16]);
          pv_strb[16*q +: 16]   = pv_strb[16*q +: 16] | ls_strb[16*l +: 16];
        end
      end
    end
  end
`endif

  logic [5*L-1:0] sp_lbank;               // lane l's bank at [5l]
  always_comb begin : smem_pass
    logic [31:0]       members;
    logic [4+RowW:0]   a;                 // a lane's address bits 9+RowW-1 .. 4 (row, bank)
    logic [RowW*L-1:0] lrow;              // lane l's row at [RowW*l]
    a = '0; lrow = '0; sp_lbank = '0; sp_rem = '0; sp_last = 1'b0;
    members  = x_smem ? act_mask : sm_rem_q;
    sp_found = '0; sp_row = '0; sp_served = '0;
    // Banks are indexed by constants only (loops over banks and lanes): a variable index on the
    // left-hand side makes Yosys build a shifter of the whole vector for every lane.
    if (sp) begin
      for (int l = 0; l < L; l++) begin
        a = x_smem ? ea[32*l + 4 +: 5+RowW] : lsu_ea_q[32*l + 4 +: 5+RowW];
        sp_lbank[5*l +: 5]   = a[4:0];
        lrow[RowW*l +: RowW] = a[5 +: RowW];
      end
      for (int b = 0; b < Banks; b++) begin
        for (int l = L - 1; l >= 0; l--) begin           // the lowest waiting lane picks the row
          if (members[l] && sp_lbank[5*l +: 5] == 5'(b)) begin
            sp_found[b] = 1'b1;
            sp_row[RowW*b +: RowW] = lrow[RowW*l +: RowW];
          end
        end
      end
      for (int l = 0; l < L; l++) begin
        sp_served[l] = members[l] && lrow[RowW*l +: RowW] == sp_row[RowW*sp_lbank[5*l +: 5] +: RowW];
      end
    end
    sp_rem  = members & ~sp_served;
    sp_last = sp_rem == '0;
  end

  // A store pass's bank words: each bank merges its served lanes (ls_word, ls_strb), the highest
  // lane winning.
`ifdef PACQ_SYN_CORE
  logic [Banks*L-1:0] sp_bsel;            // lanes storing into bank b at [Lb]
  always_comb begin : sp_banks
    for (int b = 0; b < Banks; b++) begin
      for (int l = 0; l < L; l++)
        sp_bsel[L*b + l] = sp_store && sp_served[l] && sp_lbank[5*l +: 5] == 5'(b);
    end
  end
  for (genvar b = 0; b < Banks; b++) begin : g_sp_merge
    pacq_lane_merge #(.Lanes (L)) u_merge (
      .sel_i  (sp_bsel[L*b +: L]),
      .strb_i (ls_strb),
      .data_i (ls_word),
      .data_o (sp_wdata[128*b +: 128]),
      .strb_o (sp_wstrb[16*b +: 16])
    );
  end
`else
  always_comb begin : sp_merge
    logic [4:0] b;
    b = '0; sp_wdata = '0; sp_wstrb = '0;
    if (sp && sp_store) begin
      for (int l = 0; l < L; l++) begin                 // ascending: the highest lane wins
        if (sp_served[l]) begin
          b = sp_lbank[5*l +: 5];
          sp_wdata[128*b +: 128] = pacq_simt_pkg::merge_bytes(sp_wdata[128*b +: 128], ls_word[128*l +: 128],
                                                              ls_strb[16*l +: 16]);
          sp_wstrb[16*b +: 16]   = sp_wstrb[16*b +: 16] | ls_strb[16*l +: 16];
        end
      end
    end
  end
`endif

  // A load pass's banks read at the edge after it; its lanes take their words at the next edge
  // (sp2), into the result ring's entry of its last pass (written at that cycle + LAT_SMEM - 1, so
  // LAT_SMEM >= 4), the earlier passes' lanes by way of sm_buf.
  logic [128*L-1:0] sm_ldv;               // the words of the pass at sp2, lane l at [128l]
  logic [128*L-1:0] lds_wd;               // a last pass's whole load: sm_ldv, earlier lanes from sm_buf
  logic [15:0]      sp2_strb;             // the pass's access bytes at byte 0
  assign sp2_strb = size_strobe(sp2_size_q);
`ifdef PACQ_SYN_CORE
  for (genvar l = 0; l < L; l++) begin : g_smem_pick
    pacq_lane_pick #(.Words (Banks)) u_pick (
      .row_i  (sm_rdata),
      .word_i (sp2_bo_q[9*l + 4 +: 5]),
      .off_i  (sp2_bo_q[9*l +: 4]),
      .strb_i (sp2_strb),
      .data_o (sm_ldv[128*l +: 128])
    );
  end
`else
  always_comb begin : smem_words
    sm_ldv = '0;
    if (sp2_v_q) begin
      for (int l = 0; l < L; l++)
        sm_ldv[128*l +: 128] = pacq_simt_pkg::pick_bytes(sm_rdata[128*sp2_bo_q[9*l + 4 +: 5] +: 128],
                                                         sp2_bo_q[9*l +: 4], sp2_strb);
    end
  end
`endif
  always_comb begin : lds_words
    lds_wd = '0;
    if (sp2_v_q) begin
      for (int l = 0; l < L; l++)
        lds_wd[128*l +: 128] = sp2_lanes_q[l] ? sm_ldv[128*l +: 128] : sm_buf_q[128*l +: 128];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : smem_lsu
    if (!rst_ni) begin
      sm_rem_q <= '0; sm_store_q <= 1'b0; sm_dst_q <= 1'b0; sm_size_q <= '0; sm_n_q <= '0; sm_w_q <= '0;
      sm_rd_q <= '0; sm_m_q <= '0; sq_en_q <= '0; sq_we_q <= 1'b0; sq_row_q <= '0; sq_wdata_q <= '0;
      sq_wstrb_q <= '0; sp1_v_q <= 1'b0; sp2_v_q <= 1'b0; sp1_last_q <= 1'b0; sp2_last_q <= 1'b0;
      sp1_ring_q <= '0; sp2_ring_q <= '0; sp1_size_q <= '0; sp2_size_q <= '0; sp1_lanes_q <= '0;
      sp2_lanes_q <= '0; sp1_bo_q <= '0; sp2_bo_q <= '0;
    end else if (start_i) begin
      sm_rem_q <= '0; sq_en_q <= '0; sp1_v_q <= 1'b0; sp2_v_q <= 1'b0;
    end else if (ce_i && !stop_i) begin
      sq_en_q <= '0;
      sp1_v_q <= 1'b0;
      if (x_smem) begin
        sm_store_q <= d.store;
        sm_size_q  <= d.size_log2;
        sm_dst_q   <= d.ndst != 8'd0;
        sm_w_q     <= iw;
        sm_rd_q    <= d.rd;
        sm_m_q     <= act_mask;
        sm_n_q     <= d.nregs;
      end
      if (sp) begin
        sm_rem_q   <= sp_rem;
        sq_en_q    <= sp_found;
        sq_we_q    <= sp_store;
        sq_row_q   <= sp_row;
        sq_wdata_q <= sp_wdata;
        sq_wstrb_q <= sp_wstrb;
        if (!sp_store) begin
          sp1_v_q     <= 1'b1;
          sp1_last_q  <= sp_last;
          sp1_ring_q  <= now_i[2:0];
          sp1_size_q  <= sp_size;
          sp1_lanes_q <= sp_served;
          for (int l = 0; l < L; l++) sp1_bo_q[9*l +: 9] <= x_smem ? ea[32*l +: 9] : lsu_ea_q[32*l +: 9];
        end
      end
      sp2_v_q     <= sp1_v_q;
      sp2_last_q  <= sp1_last_q;
      sp2_ring_q  <= sp1_ring_q;
      sp2_size_q  <= sp1_size_q;
      sp2_lanes_q <= sp1_lanes_q;
      sp2_bo_q    <= sp1_bo_q;
    end
  end

  always_ff @(posedge clk_i) begin : smem_buf
    if (adv && sp2_v_q && !sp2_last_q) begin
      for (int l = 0; l < L; l++) begin
        if (sp2_lanes_q[l]) sm_buf_q[128*l +: 128] <= sm_ldv[128*l +: 128];
      end
    end
  end

  // ------------------------------------------------------------------- result rings
  // Entry now[2:0] takes an FPU instruction issued at t, or a shared-memory load's last pass at t;
  // entry `due` is written back at t (rf_writes) and freed.
  always_ff @(posedge clk_i or negedge rst_ni) begin : rings
    if (!rst_ni) begin
      fpu_v_q <= '0; lds_v_q <= '0; fpu_w_q <= '0; lds_w_q <= '0; fpu_rd_q <= '0; lds_rd_q <= '0;
      fpu_m_q <= '0; lds_m_q <= '0; lds_n_q <= '0;
    end else if (start_i) begin
      fpu_v_q <= '0; lds_v_q <= '0;
    end else if (ce_i && !stop_i) begin
      for (int e = 0; e < 8; e++) begin
        if (3'(e) == now_i[2:0] && x_fpu) begin
          fpu_v_q[e]                <= d.rd != 7'd0;
          fpu_w_q[WarpW*e +: WarpW] <= iw;
          fpu_rd_q[7*e +: 7]        <= d.rd;
          fpu_m_q[32*e +: 32]       <= act_mask;
        end
        // Ready at t + LAT_SMEM from the last pass, even when no lane is active.
        if (3'(e) == now_i[2:0] && sp && !sp_store && sp_last) begin
          lds_v_q[e]                <= x_smem ? d.ndst != 8'd0 : sm_dst_q;
          lds_w_q[WarpW*e +: WarpW] <= x_smem ? iw : sm_w_q;
          lds_rd_q[7*e +: 7]        <= x_smem ? d.rd : sm_rd_q;
          lds_m_q[32*e +: 32]       <= x_smem ? act_mask : sm_m_q;
          lds_n_q[3*e +: 3]         <= x_smem ? d.nregs : sm_n_q;
        end
        if (3'(e) == due) begin
          fpu_v_q[e] <= 1'b0;
          lds_v_q[e] <= 1'b0;
        end
      end
    end
  end

  // Per lane: the rings' data, and each slot's block offset and loaded bytes. One write and one
  // read port each, so synthesis maps them to distributed RAM.
  // A global load's bytes for each lane as they arrive: accesses are aligned, so a lane's bytes
  // lie in one 16-byte quarter of the block.
  logic [128*L-1:0] load_wd;
`ifdef PACQ_SYN_CORE
  for (genvar l = 0; l < L; l++) begin : g_load_pick
    pacq_lane_pick #(.Words (4)) u_pick (
      .row_i  (rdata_i),
      .word_i (slot_off_rd[6*l + 4 +: 2]),
      .off_i  (slot_off_rd[6*l +: 4]),
      .strb_i (16'hffff),
      .data_o (load_wd[128*l +: 128])
    );
  end
`else
  always_comb begin : load_words
    load_wd = '0;
    if (rdata_valid_i) begin
      for (int l = 0; l < L; l++) begin
        if (rdata_lanes_i[l])
          load_wd[128*l +: 128] = pacq_simt_pkg::pick_bytes(rdata_i[128*slot_off_rd[6*l + 4 +: 2] +: 128],
                                                            slot_off_rd[6*l +: 4], 16'hffff);
      end
    end
  end
`endif

  // The rings' data and the load slots (lane l at [W*l] of a row).
  logic [6*L-1:0] ea_off;                 // the lanes' offsets in their 64-byte blocks
  for (genvar l = 0; l < L; l++) begin : g_ea_off
    assign ea_off[6*l +: 6] = ea[32*l +: 6];
  end
  pacq_lane_ram #(.Lanes (L), .Depth (8), .Width (32)) u_fpu_ring (
    .clk_i   (clk_i),
    .we_i    (x_fpu ? act_mask : '0),
    .waddr_i (now_i[2:0]),
    .wdata_i (fpu_res),
    .raddr_i (due),
    .rdata_o (fpu_data_rd)
  );
  pacq_lane_ram #(.Lanes (L), .Depth (8), .Width (128)) u_lds_ring (
    .clk_i   (clk_i),
    .we_i    ((adv && sp2_v_q && sp2_last_q) ? '1 : '0),
    .waddr_i (sp2_ring_q),
    .wdata_i (lds_wd),
    .raddr_i (due),
    .rdata_o (lds_data_rd)
  );
  pacq_lane_ram #(.Lanes (L), .Depth (Slots), .Width (6)) u_slot_off (
    .clk_i   (clk_i),
    .we_i    (x_glob ? '1 : '0),
    .waddr_i (free_slot),
    .wdata_i (ea_off),
    .raddr_i (SlotW'(rdata_slot_i)),
    .rdata_o (slot_off_rd)
  );
  pacq_lane_ram #(.Lanes (L), .Depth (Slots), .Width (128)) u_slot_data (
    .clk_i   (clk_i),
    .we_i    (rdata_valid_i ? rdata_lanes_i : '0),
    .waddr_i (SlotW'(rdata_slot_i)),
    .wdata_i (load_wd),
    .raddr_i (ld_slot),
    .rdata_o (slot_data_rd)
  );

  // ------------------------------------------------------------------- matrix units
  // Busy time of every unit and the instruction's fields; the unit itself runs the steps (below).
  always_ff @(posedge clk_i or negedge rst_ni) begin : mma_control
    logic [9:0] rem;
    if (!rst_ni) begin
      mu_rem_q <= '0; mu_busy_q <= '0; mu_kind_q <= '0; mu_bsel_q <= '0; mu_cpw_q <= '0;
      mu_warp_q <= '0; mu_lock_q <= '0; mu_rd_q <= '0; mu_zacc_q <= '0; mu_start_q <= '0;
    end else if (start_i) begin
      mu_rem_q <= '0; mu_start_q <= '0;
    end else if (ce_i && !stop_i) begin
      mu_start_q <= '0;
      for (int u = 0; u < MmaUnits; u++) begin
        // The lowest free unit takes the instruction and starts in the next model cycle.
        if (x_mma && MuW'(u) == mu_sel) begin
          mu_start_q[u]               <= 1'b1;
          mu_busy_q[10*u +: 10]       <= d.busy;
          mu_kind_q[2*u +: 2]         <= d.mma_kind;
          mu_bsel_q[2*u +: 2]         <= d.bsel;
          mu_cpw_q[4*u +: 4]          <= d.cpw;
          mu_warp_q[WarpW*u +: WarpW] <= iw;
          mu_lock_q[128*u +: 128]     <= d.lock;
          mu_rd_q[7*u +: 7]           <= d.rd;
          mu_zacc_q[u]                <= d.zacc;
        end
        rem = (x_mma && MuW'(u) == mu_sel) ? d.busy : mu_rem_q[10*u +: 10];
        if (rem != 10'd0) mu_rem_q[10*u +: 10] <= rem - 10'd1;   // free after the last step
      end
    end
  end

  // Operands: A, B and z (registers at t) captured at issue, and a group's C for each unit that
  // asks (+0.0 for .z and r0; quarters outside the group are not read). Constant part-selects per
  // unit: a variable base on the left-hand side makes Yosys build a shifter of the whole vector.
  always_ff @(posedge clk_i) begin : mma_operands
    logic [256*32-1:0] cgrp;
    logic              g_zacc;
    logic [6:0]        g_rd;
    int unsigned       g_reg;
    if (adv) begin
      for (int u = 0; u < MmaUnits; u++) begin
        if (mc_req[u]) begin
          g_zacc = mc_tag[TagW*u + TagW - 1];          // tag: {.z, cpw, rd, warp}
          g_rd   = mc_tag[TagW*u + WarpW +: 7];
          for (int j = 0; j < 8; j++) begin
            g_reg = 32'(g_rd) + 8 * 32'(mc_e[3*u +: 3]) + j;
            cgrp[1024*j +: 1024] = (mc_qe[4*u + j / 2] && !g_zacc && g_reg != 0)
                                 ? rf_q[8192*(PRdGrp + u) + 1024*j +: 1024] : '0;
          end
          mu_c_q[8192*u +: 8192] <= cgrp;
        end
        if (x_mma && MuW'(u) == mu_sel) begin
          for (int l = 0; l < L; l++) begin
            for (int j = 0; j < 4; j++) begin
              mu_a_q[4096*u + 16*(8*l + 2*j) +: 32] <= a_grp[1024*j + 32*l +: 32];
              mu_b_q[4096*u + 16*(8*l + 2*j) +: 32] <= b_grp[1024*j + 32*l +: 32];
            end
            mu_z_q[1024*u + 32*l +: 32] <= (d.op == pacq_abi_pkg::OpHmma) ? 32'b0 : c_row[32*l +: 32];
          end
        end
      end
    end
  end

  // --------------------------------------------------------------------- register file
  pacq_rf #(
    .Warps  (Warps),
    .WarpW  (WarpW),
    .NRd    (NRd),
    .NWr    (NWr),
    .RdRegs ({{MmaUnits{4'd8}}, 4'd1, 4'd4, 4'd4}),   // A, B, C, C groups
    .WrRegs ({{MmaUnits{4'd8}}, 4'd4, 4'd4, 4'd1})    // ALU, FPU/LDS, global load, D groups
  ) u_rf (
    .clk_i      (clk_i),
    .rd_en_i    (rf_rd_en),
    .rd_warp_i  (rf_rd_warp),
    .rd_base_i  (rf_rd_base),
    .rd_data_o  (rf_q),
    .wr_en_i    (rf_wr_en),
    .wr_warp_i  (rf_wr_warp),
    .wr_base_i  (rf_wr_base),
    .wr_lanes_i (rf_wr_lanes),
    .wr_data_i  (rf_wr_data)
  );

  // --------------------------------------------------------------------- shared memory
  pacq_smem #(.Bytes (SmemBytes)) u_smem (
    .clk_i   (clk_i),
    .adv_i   (ce_i && !stop_i && !start_i),
    .en_i    (sq_en_q),
    .we_i    (sq_we_q),
    .row_i   (sq_row_q),
    .wdata_i (sq_wdata_q),
    .wstrb_i (sq_wstrb_q),
    .rdata_o (sm_rdata)
  );

  // ---------------------------------------------------------------------- matrix units
  for (genvar u = 0; u < MmaUnits; u++) begin : gen_mu
    pacq_mma_unit #(.TagW (TagW)) u_mu (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .clear_i (start_i),
      .adv_i   (ce_i && !stop_i),
      .start_i (mu_start_q[u]),
      .kind_i  (mu_kind_q[2*u +: 2]),
      .bsel_i  (mu_bsel_q[2*u +: 2]),
      .cpw_i   (mu_cpw_q[4*u +: 4]),
      .busy_i  (mu_busy_q[10*u +: 10]),
      .a_i     (mu_a_q[4096*u +: 4096]),
      .b_i     (mu_b_q[4096*u +: 4096]),
      .z_i     (mu_z_q[1024*u +: 1024]),
      .tag_i   ({mu_zacc_q[u], mu_cpw_q[4*u +: 4], mu_rd_q[7*u +: 7], mu_warp_q[WarpW*u +: WarpW]}),
      .c_req_o (mc_req[u]),
      .c_e_o   (mc_e[3*u +: 3]),
      .c_qe_o  (mc_qe[4*u +: 4]),
      .c_tag_o (mc_tag[TagW*u +: TagW]),
      .c_i     (mu_c_q[8192*u +: 8192]),
      .d_v_o   (md_v[u]),
      .d_last_o(md_last[u]),
      .d_e_o   (md_e[3*u +: 3]),
      .d_qe_o  (md_qe[4*u +: 4]),
      .d_tag_o (md_tag[TagW*u +: TagW]),
      .d_o     (md_data[8192*u +: 8192])
    );
  end

  // --------------------------------------------------------------------------- outputs
  assign pres_valid_o = pres_valid_q;
  assign pres_write_o = pres_write_q;
  assign pres_last_o  = pres_last_q;
  assign pres_slot_o  = pres_slot_q;
  assign pres_block_o = pres_block_q;
  assign pres_lanes_o = pres_lanes_q;
  assign pres_wdata_o = pres_wdata_q;
  assign pres_wstrb_o = pres_wstrb_q;
  assign done_o       = done_q;
  assign end_cycle_o  = end_cycle_q;
  assign error_o      = error_q;
  assign err_status_o = err_status_q;
  assign err_info_o   = err_info_q;
  assign counters_o   = ctr_q;
endmodule

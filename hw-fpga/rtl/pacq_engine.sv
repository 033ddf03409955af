// pacq_engine: runs GEMM and LAUNCH commands on the SIMT cores (docs/simt.md section 9).
//
//   descriptor --> SETUP (checks, grid, arguments; LAUNCH: program load) --> RUN (model time)
//              --> DRAIN (memory traffic finishes) --> counters summed --> done
//
// SETUP follows the emulator's order of checks: descriptor fields (BAD_DESCRIPTOR), operands inside
// device memory (ADDRESS_FAULT, ERR_INFO = the operand's address), operands below 4 GiB and the
// kernel's shared memory fitting (BAD_DESCRIPTOR). It takes real cycles (a sequential divider) that
// are not part of the timing model: a command's CYCLES is CMD_OVERHEAD_CYCLES + kernel cycles
// (+ the program load of a LAUNCH, ceil(8 * words / 64) * OCC + LAT), as section 6.5 defines.
//
// RUN. Model cycle t advances in every clock cycle with ce set. The device-memory channel is the
// spec's FIFO: the transactions the cores presented in cycle t (visible here in cycle t + 1, in
// ascending core order) start at s = max(t, chan_free), occupy the channel OCC = 64 / dmembw cycles
// and complete at s + OCC + LAT; the completion of an instruction's last transaction goes back to
// its core in the same cycle. Behind the timing model, each transaction becomes one AXI4 beat of
// 512 bits (a request FIFO, one request per cycle; read data are routed back to the core's slot by
// a tag FIFO, in order). Model time freezes (ce low) while the request FIFO could overflow or a core
// has a load due whose data have not arrived, so the model's cycle counts hold for any real memory.
//
// Errors: the first failing core (lowest index) in the failing cycle stops every core; the kernel's
// watchdog (LAUNCH budget) likewise. Abort (soft reset) stops the cores, lets the memory traffic
// finish and returns to idle without done_o.
module pacq_engine #(
  parameter int unsigned Cores       = pacq_abi_pkg::DefaultCores,
  parameter int unsigned Warps       = pacq_abi_pkg::DefaultWarps,
  parameter int unsigned MmaUnits    = pacq_abi_pkg::DefaultMmaUnits,
  parameter int unsigned SmemBytes   = pacq_abi_pkg::DefaultSmemBytes,
  parameter int unsigned IdWidth     = 4,
  parameter int unsigned FifoDepth   = 64,    // device-memory requests between model and AXI
  parameter logic [63:0] MemBytes    = 64'h1_0000_0000
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   clear_i,
  input  logic [9:0]             dmem_latency_i,   // LAT, 1 .. 1000
  input  logic [6:0]             dmem_bw_i,        // bytes per cycle: 8, 16, 32, 64

  input  logic                   valid_i,
  output logic                   ready_o,
  input  logic [pacq_abi_pkg::DescBytes*8-1:0] desc_i,
  input  logic                   abort_i,
  output logic                   done_o,           // one cycle
  output logic [7:0]             status_o,
  output logic [63:0]            err_info_o,
  output logic [63:0]            cycles_o,
  output logic [12*64-1:0]       counters_o,       // Cpl INSTRUCTIONS .. STALL_BARRIER
  output logic                   idle_o,

  output logic [IdWidth-1:0]     m_arid_o,
  output logic [63:0]            m_araddr_o,
  output logic [7:0]             m_arlen_o,
  output logic [2:0]             m_arsize_o,
  output logic [1:0]             m_arburst_o,
  output logic                   m_arvalid_o,
  input  logic                   m_arready_i,
  input  logic [511:0]           m_rdata_i,
  input  logic                   m_rlast_i,
  input  logic                   m_rvalid_i,
  output logic                   m_rready_o,
  output logic [IdWidth-1:0]     m_awid_o,
  output logic [63:0]            m_awaddr_o,
  output logic [7:0]             m_awlen_o,
  output logic [2:0]             m_awsize_o,
  output logic [1:0]             m_awburst_o,
  output logic                   m_awvalid_o,
  input  logic                   m_awready_i,
  output logic [511:0]           m_wdata_o,
  output logic [63:0]            m_wstrb_o,
  output logic                   m_wlast_o,
  output logic                   m_wvalid_o,
  input  logic                   m_wready_i,
  input  logic                   m_bvalid_i,
  output logic                   m_bready_o
);
  localparam int unsigned CoreW   = (Cores > 1) ? $clog2(Cores) : 1;
  localparam int unsigned FifoW   = $clog2(FifoDepth);
  localparam int unsigned RomSize = pacq_abi_pkg::ProgRomWords;
  localparam int unsigned RamSize = pacq_abi_pkg::ProgRamWords;
  localparam int unsigned RamBase = pacq_abi_pkg::ProgRamBase;
  localparam logic [63:0] FourGiB = 64'h1_0000_0000;

  typedef enum logic [4:0] {
    EIdle, EDecode, EGemmDiv, EGemmSizes, EGemmRange, EGemmFitDiv, EGemmGridDiv, EGemmGrid,
    ELaunchChk, ELoad, EStepDiv, ECoreDiv, EStart, ERun, EDrain, ESum, EDone, EFail
  } state_e;

  // ------------------------------------------------------------------ descriptor fields
  logic [pacq_abi_pkg::DescBytes*8-1:0] desc_q;
  function automatic logic [31:0] d32(input int unsigned off);
    d32 = desc_q[8*off +: 32];
  endfunction
  function automatic logic [63:0] d64(input int unsigned off);
    d64 = desc_q[8*off +: 64];
  endfunction

  logic [7:0]  opcode, mode, bits, flags;
  logic [31:0] m_dim, n_dim, k_dim, gsize, gcols;
  logic [63:0] addr_a, addr_w, addr_s, addr_z, addr_c;
  logic        symmetric, out_f32;
  assign opcode    = desc_q[8*pacq_abi_pkg::DescOpcodeOffset +: 8];
  assign mode      = desc_q[8*pacq_abi_pkg::DescModeOffset +: 8];
  assign bits      = desc_q[8*pacq_abi_pkg::DescBitsOffset +: 8];
  assign flags     = desc_q[8*pacq_abi_pkg::DescFlagsOffset +: 8];
  assign m_dim     = d32(pacq_abi_pkg::DescMOffset);
  assign n_dim     = d32(pacq_abi_pkg::DescNOffset);
  assign k_dim     = d32(pacq_abi_pkg::DescKOffset);
  assign gsize     = d32(pacq_abi_pkg::DescGroupSizeOffset);
  assign gcols     = d32(pacq_abi_pkg::DescGroupColsOffset);
  assign addr_a    = d64(pacq_abi_pkg::DescAddrAOffset);
  assign addr_w    = d64(pacq_abi_pkg::DescAddrWOffset);
  assign addr_s    = d64(pacq_abi_pkg::DescAddrScalesOffset);
  assign addr_z    = d64(pacq_abi_pkg::DescAddrZerosOffset);
  assign addr_c    = d64(pacq_abi_pkg::DescAddrCOffset);
  assign symmetric = flags[pacq_abi_pkg::DescFlagsSymmetricBit];
  assign out_f32   = flags[pacq_abi_pkg::DescFlagsOutF32Bit];

  // ------------------------------------------------------------------------------- state
  state_e      state_q;
  logic [7:0]  status_q;
  logic [63:0] info_q;
  logic [63:0] load_cycles_q;        // LAUNCH program load
  logic [31:0] groups_q, strips_q, tw_q, tiles_x_q, tiles_y_q, entry_q, pc_lo_q, pc_hi_q;
  logic [31:0] step_x_q, step_y_q, budget_q;
  logic [63:0] total_q;
  logic [16*32-1:0] args_q;
  logic [CoreW:0]  cidx_q;           // core being set up / summed
  logic [1:0]      phase_q;          // step of a per-core division
  logic [32*Cores-1:0] first_x_q, first_y_q, my_tiles_q;   // per core: [32*c +: 32]
  logic [47:0] now_q, chan_free_q;
  logic        start, stop_q;
  logic [47:0] kend_q;
  logic [12*64-1:0] sum_q;
  logic [31:0] load_words_q, load_issued_q, load_got_q;

  // Program memory: the kernel ROM (pacq_prog_rom, one instance per core) and the LAUNCH RAM, a
  // memory of its own (no reset) with one write port of a 512-bit row (the eight words of one AXI
  // read beat of a program load) and one asynchronous read port per core, because a core expects
  // the word at the address it registered in the cycle before (docs/rtl.md 4).
  localparam int unsigned RomW    = $clog2(RomSize);
  localparam int unsigned RamW    = $clog2(RamSize);
  localparam int unsigned RamRows = RamSize / 8;            // the ABI's RAM is a multiple of 8 words
  localparam int unsigned RowW    = $clog2(RamRows);
  logic [63:0] ram_q [RamSize];

  logic            ram_we;          // a program-load beat arrives: row ram_row <= m_rdata_i
  logic [RowW-1:0] ram_row;
  always_ff @(posedge clk_i) begin
    if (ram_we) begin
      for (int j = 0; j < 8; j++) ram_q[{ram_row, 3'(j)}] <= m_rdata_i[64*j +: 64];
    end
  end

  // Divider.
  logic        div_start, div_busy, div_done;
  logic [63:0] div_a, div_q;
  logic [31:0] div_b, div_r;
  pacq_divu u_div (
    .clk_i, .rst_ni, .start_i (div_start), .a_i (div_a), .b_i (div_b),
    .busy_o (div_busy), .done_o (div_done), .q_o (div_q), .r_o (div_r)
  );

  // ------------------------------------------------------------------------------- cores
  // Per-core signals as flat vectors, core c at [W*c +: W] (Yosys 0.23 reads no packed arrays
  // of more than one dimension).
  logic [32*Cores-1:0]      c_fetch_addr;
  logic [64*Cores-1:0]      c_fetch_data;
  logic [Cores-1:0]         c_pres_valid, c_pres_write, c_pres_last, c_comp_valid, c_rvalid;
  logic [3*Cores-1:0]       c_pres_slot;
  logic [26*Cores-1:0]      c_pres_block;
  logic [32*Cores-1:0]      c_pres_lanes;
  logic [512*Cores-1:0]     c_pres_wdata;
  logic [64*Cores-1:0]      c_pres_wstrb;
  logic [48*Cores-1:0]      c_comp_cycle, c_end_cycle;
  logic [Cores-1:0]         c_need, c_done, c_error;
  logic [8*Cores-1:0]       c_err_status;
  logic [64*Cores-1:0]      c_err_info;
  logic [12*64*Cores-1:0]   c_counters;
  logic        ce, stop, run;
  logic [2:0]  rd_slot_q;
  logic [31:0] rd_lanes_q;
  logic [511:0] rd_data_q;
  logic [CoreW-1:0] rd_core_q;
  logic        rd_valid_q;

  assign run   = state_q == ERun;
  assign start = state_q == EStart;
  assign stop = stop_q || (|c_error) || (run && budget_q != 32'd0 && now_q > {16'b0, budget_q});

  for (genvar c = 0; c < Cores; c++) begin : gen_core
    // The core's fetch port: one ROM and one RAM read at the address it registered.
    logic [31:0] fa, fa_ram;
    logic [63:0] rom_word, ram_word;
    assign fa       = c_fetch_addr[32*c +: 32];
    assign fa_ram   = fa - RamBase;
    pacq_prog_rom u_rom (.addr_i (fa[RomW-1:0]), .data_o (rom_word));
    assign ram_word = ram_q[fa_ram[RamW-1:0]];
    assign c_fetch_data[64*c +: 64] = (fa < RomSize) ? rom_word
                                    : (fa_ram < RamSize) ? ram_word
                                    : 64'b0;                // outside the program: never issued

    pacq_core #(
      .Warps (Warps), .MmaUnits (MmaUnits), .SmemBytes (SmemBytes)
    ) u_core (
      .clk_i, .rst_ni,
      .ce_i (ce && run), .now_i (now_q),
      .start_i (start), .stop_i (stop),
      .core_id_i (6'(c)), .ncores_i (7'(Cores)),
      .entry_i (entry_q), .pc_lo_i (pc_lo_q), .pc_hi_i (pc_hi_q),
      .tiles_x_i (tiles_x_q), .tiles_y_i (tiles_y_q), .my_tiles_i (my_tiles_q[32*c +: 32]),
      .first_x_i (first_x_q[32*c +: 32]), .first_y_i (first_y_q[32*c +: 32]), .step_x_i (step_x_q), .step_y_i (step_y_q),
      .args_i (args_q), .mem_bytes_i (MemBytes),
      .fetch_addr_o (c_fetch_addr[32*c +: 32]), .fetch_data_i (c_fetch_data[64*c +: 64]),
      .pres_valid_o (c_pres_valid[c]), .pres_write_o (c_pres_write[c]), .pres_last_o (c_pres_last[c]),
      .pres_slot_o (c_pres_slot[3*c +: 3]), .pres_block_o (c_pres_block[26*c +: 26]), .pres_lanes_o (c_pres_lanes[32*c +: 32]),
      .pres_wdata_o (c_pres_wdata[512*c +: 512]), .pres_wstrb_o (c_pres_wstrb[64*c +: 64]),
      .comp_valid_i (c_comp_valid[c]), .comp_slot_i (c_pres_slot[3*c +: 3]), .comp_cycle_i (c_comp_cycle[48*c +: 48]),
      .rdata_valid_i (c_rvalid[c]), .rdata_slot_i (rd_slot_q), .rdata_lanes_i (rd_lanes_q),
      .rdata_i (rd_data_q), .need_data_o (c_need[c]),
      .done_o (c_done[c]), .end_cycle_o (c_end_cycle[48*c +: 48]), .error_o (c_error[c]),
      .err_status_o (c_err_status[8*c +: 8]), .err_info_o (c_err_info[64*c +: 64]), .counters_o (c_counters[12*64*c +: 12*64])
    );
    assign c_rvalid[c] = rd_valid_q && rd_core_q == CoreW'(c);
  end

  // ------------------------------------------------------------------ the channel (6.3)
  // LAT and OCC are configuration, constant while a command runs. They are registered (every
  // clock, reset or not) so that no model-time logic depends combinationally on a top-level input:
  // a simulator re-evaluates such logic whenever it sets the inputs, twice per clock.
  logic [3:0]  occ;                 // channel cycles per transaction, 64 / dmembw
  logic [9:0]  lat;                 // LAT
  logic [47:0] chan_free_n;
  logic [Cores-1:0] enq;

  always_ff @(posedge clk_i) begin
    lat <= dmem_latency_i;
    unique case (dmem_bw_i)
      7'd8:    occ <= 4'd8;
      7'd16:   occ <= 4'd4;
      7'd32:   occ <= 4'd2;
      default: occ <= 4'd1;
    endcase
  end

  always_comb begin
    chan_free_n = chan_free_q;
    for (int c = 0; c < Cores; c++) begin
      // Presented in cycle now - 1 (visible now), in ascending core order.
      logic [47:0] s;
      s = (chan_free_n > now_q - 48'd1) ? chan_free_n : now_q - 48'd1;
      c_comp_cycle[48*c +: 48] = s + {44'b0, occ} + {38'b0, lat};
      c_comp_valid[c] = c_pres_valid[c] && c_pres_last[c];
      enq[c]          = c_pres_valid[c];
      if (c_pres_valid[c]) chan_free_n = s + {44'b0, occ};
    end
  end

  // ---------------------------------------------------- AXI requests behind the model
  // FIFO entry: {core, slot, write, block, lanes, wdata, wstrb}. A cycle enqueues up to one entry
  // per core at consecutive positions, so the FIFO is NB banks (position mod NB, NB >= Cores), each
  // a memory with one write port and no reset; only the pointers and counts are reset.
  localparam int unsigned EntW     = CoreW + 3 + 1 + 26 + 32 + 512 + 64;
  localparam int unsigned BankW    = CoreW;
  localparam int unsigned NB       = 1 << BankW;
  localparam int unsigned RowF     = FifoW - BankW;        // row bits of a bank (FifoDepth > NB)
  logic [FifoW:0]  fifo_cnt_q;
  logic [FifoW-1:0] fifo_rd_q, fifo_wr_q;
  logic            fifo_room;
  logic [EntW-1:0] head;
  logic            head_write;
  logic            aw_done_q, w_done_q;
  logic            pop;
  logic [NB-1:0]      bank_we;
  logic [RowF*NB-1:0] bank_row;
  logic [EntW*NB-1:0] bank_data, bank_head;

  always_comb begin
    logic [FifoW-1:0] p;
    bank_we   = '0;
    bank_row  = '0;
    bank_data = '0;
    p = fifo_wr_q;
    for (int c = 0; c < Cores; c++) begin
      for (int b = 0; b < NB; b++) begin
        if (ce && enq[c] && p[BankW-1:0] == BankW'(b)) begin
          bank_we[b]                = 1'b1;
          bank_row[RowF*b +: RowF]  = p[FifoW-1:BankW];
          bank_data[EntW*b +: EntW] = {CoreW'(c), c_pres_slot[3*c +: 3], c_pres_write[c], c_pres_block[26*c +: 26],
                                       c_pres_lanes[32*c +: 32], c_pres_wdata[512*c +: 512], c_pres_wstrb[64*c +: 64]};
        end
      end
      if (ce && enq[c]) p = p + 1'b1;
    end
  end

  for (genvar b = 0; b < NB; b++) begin : gen_fifo_bank
    logic [EntW-1:0] mem_q [FifoDepth / NB];
    always_ff @(posedge clk_i) begin
      if (bank_we[b]) mem_q[bank_row[RowF*b +: RowF]] <= bank_data[EntW*b +: EntW];
    end
    assign bank_head[EntW*b +: EntW] = mem_q[fifo_rd_q[FifoW-1:BankW]];
  end

  // Read tags (in AXI order): {load (program load), core, slot, lanes}; one write per cycle (a read
  // request leaving the FIFO, or a program-load read), a memory of its own like the banks.
  localparam int unsigned TagW = 1 + CoreW + 3 + 32;
  logic [TagW-1:0] tag_q [FifoDepth];
  logic [FifoW:0]  tag_cnt_q;
  logic [FifoW-1:0] tag_rd_q, tag_wr_q;
  logic            tag_we;
  logic [TagW-1:0] tag_wdata, tag_head;
  logic [15:0]     writes_out_q;      // AW accepted, B not yet

  always_ff @(posedge clk_i) begin
    if (tag_we) tag_q[tag_wr_q] <= tag_wdata;
  end
  assign tag_head = tag_q[tag_rd_q];

  assign fifo_room = 32'(fifo_cnt_q) + Cores <= FifoDepth;
  assign ce = run && fifo_room && !(|c_need);
  // Selects by comparison, not a shift by EntW * index (Yosys would build a 1278-bit shifter).
  always_comb begin
    head = bank_head[EntW-1:0];
    for (int b = 1; b < NB; b++) begin
      if (fifo_rd_q[BankW-1:0] == BankW'(b)) head = bank_head[EntW*b +: EntW];
    end
  end
  assign head_write = head[EntW - CoreW - 4];

  // Program load reads (SETUP) and the kernel's transactions share the port: never together.
  logic        load_ar;
  logic [63:0] load_addr;
  assign load_ar   = state_q == ELoad && load_issued_q < load_words_q && 32'(tag_cnt_q) < FifoDepth;
  assign load_addr = d64(pacq_abi_pkg::DescLaunchProgAddrOffset) + {32'b0, load_issued_q} * 64'd64;
  // The tag of a read request: a program-load read takes precedence (pop is low while load_ar).
  assign tag_we    = (pop && !head_write) || (load_ar && m_arready_i);
  assign tag_wdata = load_ar ? {1'b1, {(CoreW + 3){1'b0}}, load_issued_q}
                             : {1'b0, head[EntW-1 -: CoreW], head[EntW-CoreW-1 -: 3], head[64 + 512 +: 32]};
  // A program-load beat is row <beat index> of the program RAM.
  assign ram_we    = m_rvalid_i && tag_cnt_q != '0 && tag_head[TagW-1] && tag_head[31:0] < RamRows;
  assign ram_row   = tag_head[RowW-1:0];

  assign m_arid_o    = '0;
  assign m_arlen_o   = 8'd0;
  assign m_arsize_o  = 3'd6;            // 64 bytes
  assign m_arburst_o = 2'b01;
  assign m_awid_o    = '0;
  assign m_awlen_o   = 8'd0;
  assign m_awsize_o  = 3'd6;
  assign m_awburst_o = 2'b01;
  assign m_wlast_o   = 1'b1;
  assign m_rready_o  = 1'b1;           // single-beat reads: RLAST is always set
  logic unused_rlast;
  assign unused_rlast = m_rlast_i;
  assign m_bready_o  = 1'b1;

  always_comb begin
    m_arvalid_o = 1'b0;
    m_araddr_o  = '0;
    m_awvalid_o = 1'b0;
    m_awaddr_o  = '0;
    m_wvalid_o  = 1'b0;
    m_wdata_o   = head[64 +: 512];
    m_wstrb_o   = head[63:0];
    pop         = 1'b0;
    if (load_ar) begin
      m_arvalid_o = 1'b1;
      m_araddr_o  = load_addr;
    end else if (fifo_cnt_q != '0) begin
      if (head_write) begin
        m_awvalid_o = !aw_done_q;
        m_wvalid_o  = !w_done_q;
        m_awaddr_o  = {32'b0, head[64 + 512 + 32 +: 26], 6'b0};
        pop = (aw_done_q || m_awready_i) && (w_done_q || m_wready_i);
      end else begin
        m_arvalid_o = 32'(tag_cnt_q) < FifoDepth;
        m_araddr_o  = {32'b0, head[64 + 512 + 32 +: 26], 6'b0};
        pop = m_arvalid_o && m_arready_i;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fifo_cnt_q <= '0; fifo_rd_q <= '0; fifo_wr_q <= '0; aw_done_q <= 1'b0; w_done_q <= 1'b0;
      tag_cnt_q <= '0; tag_rd_q <= '0; tag_wr_q <= '0; writes_out_q <= '0;
      rd_valid_q <= 1'b0; rd_core_q <= '0; rd_slot_q <= '0; rd_lanes_q <= '0; rd_data_q <= '0;
    end else begin
      logic [FifoW:0] cnt;
      logic [FifoW-1:0] wr;
      logic [FifoW:0] tcnt;
      cnt  = fifo_cnt_q;
      wr   = fifo_wr_q;
      tcnt = tag_cnt_q;
      // Enqueue this model cycle's transactions in core order (the banks take the entries).
      if (ce) begin
        for (int c = 0; c < Cores; c++) begin
          if (enq[c]) begin
            wr  = wr + 1'b1;
            cnt = cnt + 1'b1;
          end
        end
      end
      // Issue the head.
      if (!load_ar && fifo_cnt_q != '0 && head_write) begin
        if (m_awvalid_o && m_awready_i) aw_done_q <= 1'b1;
        if (m_wvalid_o && m_wready_i)   w_done_q <= 1'b1;
      end
      if (pop) begin
        fifo_rd_q <= fifo_rd_q + 1'b1;
        cnt = cnt - 1'b1;
        aw_done_q <= 1'b0;
        w_done_q  <= 1'b0;
        if (!head_write) begin
          tag_wr_q <= tag_wr_q + 1'b1;
          tcnt = tcnt + 1'b1;
        end
      end
      if (load_ar && m_arready_i) begin
        tag_wr_q <= tag_wr_q + 1'b1;
        tcnt = tcnt + 1'b1;
      end
      fifo_cnt_q <= cnt;
      fifo_wr_q  <= wr;
      // Writes outstanding (for the drain).
      writes_out_q <= writes_out_q + {15'b0, m_awvalid_o && m_awready_i} - {15'b0, m_bvalid_i};
      // Read data back to their core (one cycle later) or into program RAM (ram_we).
      rd_valid_q <= 1'b0;
      if (m_rvalid_i && tag_cnt_q != '0) begin
        tag_rd_q <= tag_rd_q + 1'b1;
        tcnt = tcnt - 1'b1;
        if (!tag_head[TagW-1]) begin
          rd_valid_q <= 1'b1;
          rd_core_q  <= tag_head[TagW-2 -: CoreW];
          rd_slot_q  <= tag_head[34:32];
          rd_lanes_q <= tag_head[31:0];
          rd_data_q  <= m_rdata_i;
        end
      end
      tag_cnt_q <= tcnt;
    end
  end

  // The counters of core cidx_q (ESum), selected by comparison rather than a shifter.
  logic [12*64-1:0] sum_core;
  always_comb begin
    sum_core = c_counters[12*64-1:0];
    for (int c = 1; c < Cores; c++) begin
      if (cidx_q[CoreW-1:0] == CoreW'(c)) sum_core = c_counters[12*64*c +: 12*64];
    end
  end

  // --------------------------------------------------------------------- command control
  logic [63:0] a_bytes, w_bytes, ge, c_bytes, np;
  logic [31:0] s_cols, kern_entry, kern_end, kern_fixed, kern_per_warp;
  logic [4:0]  s_log2;
  logic        fields_ok, align_ok;
  logic [5*64-1:0] rng_addr, rng_len;   // operand i at [64*i +: 64]
  logic [4:0]  rng_used;

  always_comb begin
    s_log2 = (bits == 8'd2) ? 5'd7 : (bits == 8'd4) ? 5'd6 : 5'd5;          // S = 256 / bits
    s_cols = 32'd1 << s_log2;
    kern_entry    = pacq_kernel_rom_pkg::kernel_entry(mode, bits);
    kern_end      = pacq_kernel_rom_pkg::kernel_end(mode, bits);
    kern_fixed    = pacq_kernel_rom_pkg::kernel_smem_fixed(mode, bits);
    kern_per_warp = pacq_kernel_rom_pkg::kernel_smem_per_warp(mode, bits);
    fields_ok = mode <= pacq_abi_pkg::ModeKpacked
                && (bits == 8'd2 || bits == 8'd4 || bits == 8'd8)
                && m_dim >= 32'd1 && n_dim >= 32'd1 && k_dim >= 32'd1
                && m_dim <= pacq_abi_pkg::MaxDim && n_dim <= pacq_abi_pkg::MaxDim && k_dim <= pacq_abi_pkg::MaxDim
                && gsize >= 32'd1 && gsize % pacq_abi_pkg::GroupKMultiple == 32'd0
                && gcols >= 32'd1 && gcols <= pacq_abi_pkg::MaxGroupCols && (gcols & (gcols - 32'd1)) == 32'd0;
    align_ok  = addr_a % 64'(pacq_abi_pkg::MemAlign) == 64'd0 && addr_w % 64'(pacq_abi_pkg::MemAlign) == 64'd0
                && addr_s % 64'(pacq_abi_pkg::MemAlign) == 64'd0 && addr_c % 64'(pacq_abi_pkg::MemAlign) == 64'd0
                && (symmetric || addr_z % 64'(pacq_abi_pkg::MemAlign) == 64'd0);
    // Operand sizes (GemmCommand): strips and group entries use the values computed in SETUP.
    np      = {32'b0, strips_q} << s_log2;                                    // padded N
    a_bytes = {32'b0, m_dim} * {32'b0, k_dim} * 64'd2;
    w_bytes = (mode == pacq_abi_pkg::ModeKpacked)
            ? (({32'b0, k_dim} * {56'b0, bits}) >> 4) * np * 64'd2
            : {32'b0, strips_q} * {32'b0, k_dim} * 64'(pacq_abi_pkg::StripWords * 2);
    // S / GROUP_COLS as a shift: GROUP_COLS is a power of two once fields_ok holds, the only case
    // in which the ranges are checked (no 32-bit divider for a value that is a shift).
    ge      = {32'b0, strips_q} * {32'b0, groups_q} * {32'b0, s_cols >> (pacq_fp_pkg::lzc32(gcols) ^ 6'd31)};
    c_bytes = {32'b0, m_dim} * {32'b0, n_dim} * (out_f32 ? 64'd4 : 64'd2);
    rng_addr[64*0 +: 64] = addr_a;  rng_len[64*0 +: 64] = a_bytes;
    rng_addr[64*1 +: 64] = addr_w;  rng_len[64*1 +: 64] = w_bytes;
    rng_addr[64*2 +: 64] = addr_s;  rng_len[64*2 +: 64] = ge * 64'd2;
    rng_addr[64*3 +: 64] = addr_c;  rng_len[64*3 +: 64] = c_bytes;
    rng_addr[64*4 +: 64] = addr_z;  rng_len[64*4 +: 64] = ge;
    rng_used = symmetric ? 5'b01111 : 5'b11111;
  end

  // LAUNCH fields.
  logic [31:0] l_tx, l_ty, l_words, l_entry, l_max;
  logic [63:0] l_addr;
  assign l_tx    = d32(pacq_abi_pkg::DescLaunchTilesXOffset);
  assign l_ty    = d32(pacq_abi_pkg::DescLaunchTilesYOffset);
  assign l_words = d32(pacq_abi_pkg::DescLaunchProgWordsOffset);
  assign l_entry = d32(pacq_abi_pkg::DescLaunchEntryOffset);
  assign l_max   = d32(pacq_abi_pkg::DescLaunchMaxCyclesOffset);
  assign l_addr  = d64(pacq_abi_pkg::DescLaunchProgAddrOffset);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= EIdle; desc_q <= '0; status_q <= '0; info_q <= '0; load_cycles_q <= '0;
      groups_q <= '0; strips_q <= '0; tw_q <= '0; tiles_x_q <= '0; tiles_y_q <= '0;
      entry_q <= '0; pc_lo_q <= '0; pc_hi_q <= '0; step_x_q <= '0; step_y_q <= '0; budget_q <= '0;
      total_q <= '0; args_q <= '0; cidx_q <= '0; phase_q <= '0; first_x_q <= '0; first_y_q <= '0; my_tiles_q <= '0;
      now_q <= '0; chan_free_q <= '0; stop_q <= 1'b0;
      kend_q <= '0; sum_q <= '0; load_words_q <= '0; load_issued_q <= '0; load_got_q <= '0;
      div_start <= 1'b0; div_a <= '0; div_b <= '0;
    end else if (clear_i) begin
      state_q <= EIdle; stop_q <= 1'b0; div_start <= 1'b0;
    end else begin
      div_start <= 1'b0;
      unique case (state_q)
        EIdle: begin
          if (valid_i) begin
            desc_q   <= desc_i;
            status_q <= pacq_abi_pkg::StatusOk;
            info_q   <= '0;
            stop_q   <= 1'b0;
            load_cycles_q <= '0;
            budget_q <= '0;
            kend_q   <= '0;
            phase_q  <= '0;
            state_q  <= EDecode;
          end
        end
        EDecode: begin
          if (opcode == pacq_abi_pkg::OpcodeLaunch) begin
            state_q <= ELaunchChk;
          end else if (!fields_ok || !align_ok) begin
            status_q <= pacq_abi_pkg::StatusBadDescriptor;
            state_q  <= EFail;
          end else begin
            div_a     <= {32'b0, k_dim};
            div_b     <= gsize;
            div_start <= 1'b1;
            strips_q  <= (n_dim + s_cols - 32'd1) >> s_log2;
            state_q   <= EGemmDiv;
          end
        end
        EGemmDiv: begin
          if (div_done) begin
            groups_q <= div_q[31:0];
            if (div_r != 32'd0) begin
              status_q <= pacq_abi_pkg::StatusBadDescriptor;     // K not a multiple of GROUP_SIZE
              state_q  <= EFail;
            end else begin
              state_q <= EGemmSizes;
            end
          end
        end
        EGemmSizes: state_q <= EGemmRange;                       // sizes settle from groups_q
        EGemmRange: begin
          // ADDRESS_FAULT for an operand outside memory, then BAD_DESCRIPTOR above 4 GiB.
          logic found;
          found = 1'b0;
          for (int i = 0; i < 5; i++) begin
            if (!found && rng_used[i] && (rng_addr[64*i +: 64] > MemBytes || rng_len[64*i +: 64] > MemBytes - rng_addr[64*i +: 64])) begin
              found = 1'b1;
              status_q <= pacq_abi_pkg::StatusAddressFault;
              info_q   <= rng_addr[64*i +: 64];
            end
          end
          for (int i = 0; i < 5; i++) begin
            if (!found && rng_used[i] && rng_addr[64*i +: 64] + rng_len[64*i +: 64] > FourGiB) begin
              found = 1'b1;
              status_q <= pacq_abi_pkg::StatusBadDescriptor;
            end
          end
          if (found) begin
            state_q <= EFail;
          end else if (SmemBytes < kern_fixed) begin
            status_q <= pacq_abi_pkg::StatusBadDescriptor;        // the kernel's smem does not fit
            state_q  <= EFail;
          end else begin
            div_a     <= 64'(SmemBytes) - {32'b0, kern_fixed};
            div_b     <= (kern_per_warp == 32'd0) ? 32'd1 : kern_per_warp;
            div_start <= 1'b1;
            state_q   <= EGemmFitDiv;
          end
        end
        EGemmFitDiv: begin
          if (div_done) begin
            logic [31:0] tw;
            tw = (div_q > 64'(Warps)) ? Warps : div_q[31:0];
            tw_q <= tw;
            if (tw == 32'd0) begin
              status_q <= pacq_abi_pkg::StatusBadDescriptor;
              state_q  <= EFail;
            end else begin
              div_a     <= {32'b0, strips_q + tw - 32'd1};
              div_b     <= tw;
              div_start <= 1'b1;
              state_q   <= EGemmGridDiv;
            end
          end
        end
        EGemmGridDiv: begin
          if (div_done) begin
            tiles_x_q <= div_q[31:0];
            tiles_y_q <= (m_dim + pacq_abi_pkg::GemmTileM - 32'd1) / pacq_abi_pkg::GemmTileM;
            state_q   <= EGemmGrid;
          end
        end
        EGemmGrid: begin
          total_q  <= {32'b0, tiles_x_q} * {32'b0, tiles_y_q};
          entry_q  <= kern_entry;
          pc_lo_q  <= kern_entry;
          pc_hi_q  <= kern_end;
          args_q   <= '0;
          args_q[32*pacq_abi_pkg::GemmArgM +: 32]             <= m_dim;
          args_q[32*pacq_abi_pkg::GemmArgN +: 32]             <= n_dim;
          args_q[32*pacq_abi_pkg::GemmArgK +: 32]             <= k_dim;
          args_q[32*pacq_abi_pkg::GemmArgGroupSize +: 32]     <= gsize;
          args_q[32*pacq_abi_pkg::GemmArgGroupColsLog2 +: 32] <= {26'b0, pacq_fp_pkg::lzc32(gcols) ^ 6'd31};
          args_q[32*pacq_abi_pkg::GemmArgFlags +: 32]         <= {24'b0, flags & ((8'd1 << pacq_abi_pkg::DescFlagsOutF32Bit)
                                                                  | (8'd1 << pacq_abi_pkg::DescFlagsSymmetricBit))};
          args_q[32*pacq_abi_pkg::GemmArgAddrA +: 32]         <= addr_a[31:0];
          args_q[32*pacq_abi_pkg::GemmArgAddrW +: 32]         <= addr_w[31:0];
          args_q[32*pacq_abi_pkg::GemmArgAddrScales +: 32]    <= addr_s[31:0];
          args_q[32*pacq_abi_pkg::GemmArgAddrZeros +: 32]     <= symmetric ? 32'b0 : addr_z[31:0];
          args_q[32*pacq_abi_pkg::GemmArgAddrC +: 32]         <= addr_c[31:0];
          args_q[32*pacq_abi_pkg::GemmArgStrips +: 32]        <= strips_q;
          args_q[32*pacq_abi_pkg::GemmArgPaddedN +: 32]       <= strips_q << s_log2;
          args_q[32*pacq_abi_pkg::GemmArgGroups +: 32]        <= groups_q;
          args_q[32*pacq_abi_pkg::GemmArgTileWarps +: 32]     <= tw_q;
          state_q <= EStepDiv;
        end
        ELaunchChk: begin
          if (l_tx < 32'd1 || l_ty < 32'd1 || {32'b0, l_tx} * {32'b0, l_ty} > 64'h100_0000
              || l_words < 32'd1 || l_words > RamSize || l_entry >= l_words
              || l_addr % 64'(pacq_abi_pkg::MemAlign) != 64'd0 || l_addr + {32'b0, l_words} * 64'd8 > FourGiB) begin
            status_q <= pacq_abi_pkg::StatusBadDescriptor;
            state_q  <= EFail;
          end else if (l_addr > MemBytes || {32'b0, l_words} * 64'd8 > MemBytes - l_addr) begin
            status_q <= pacq_abi_pkg::StatusAddressFault;
            info_q   <= l_addr;
            state_q  <= EFail;
          end else begin
            tiles_x_q <= l_tx;
            tiles_y_q <= l_ty;
            total_q   <= {32'b0, l_tx} * {32'b0, l_ty};
            entry_q   <= RamBase + l_entry;
            pc_lo_q   <= RamBase;
            pc_hi_q   <= RamBase + l_words;
            budget_q  <= (l_max == 32'd0) ? pacq_abi_pkg::WatchdogDefaultCycles : l_max;
            args_q    <= desc_q[8*pacq_abi_pkg::DescLaunchArgsOffset +: 16*32];
            load_words_q  <= (l_words + 32'd7) >> 3;              // 64-byte beats
            load_issued_q <= '0;
            load_got_q    <= '0;
            load_cycles_q <= {32'b0, (l_words + 32'd7) >> 3} * {60'b0, occ} + {54'b0, lat};
            state_q <= ELoad;
          end
        end
        ELoad: begin
          if (load_ar && m_arready_i) load_issued_q <= load_issued_q + 32'd1;
          if (m_rvalid_i && tag_cnt_q != '0 && tag_head[TagW-1]) load_got_q <= load_got_q + 32'd1;
          if (load_got_q == load_words_q) state_q <= EStepDiv;
        end
        EStepDiv: begin
          // C = step_y * TILES_X + step_x; then per core its first tile and its tile count.
          if (!div_busy && !div_done && phase_q == 2'd0) begin
            div_a     <= 64'(Cores);
            div_b     <= tiles_x_q;
            div_start <= 1'b1;
            phase_q   <= 2'd1;
          end else if (div_done) begin
            step_x_q <= div_r;
            step_y_q <= div_q[31:0];
            cidx_q   <= '0;
            phase_q  <= 2'd0;
            state_q  <= ECoreDiv;
          end
        end
        ECoreDiv: begin
          if (cidx_q == (CoreW+1)'(Cores)) begin
            state_q <= EStart;
          end else if ({{(64-CoreW-1){1'b0}}, cidx_q} >= total_q) begin
            for (int c = 0; c < Cores; c++) begin
              if (cidx_q[CoreW-1:0] == CoreW'(c)) begin
                my_tiles_q[32*c +: 32] <= '0;
                first_x_q[32*c +: 32]  <= '0;
                first_y_q[32*c +: 32]  <= '0;
              end
            end
            cidx_q <= cidx_q + 1'b1;
          end else if (phase_q == 2'd0 && !div_busy && !div_done) begin
            div_a     <= {{(64-CoreW-1){1'b0}}, cidx_q};            // tile c: (c mod TX, c div TX)
            div_b     <= tiles_x_q;
            div_start <= 1'b1;
            phase_q   <= 2'd1;
          end else if (phase_q == 2'd1 && div_done) begin
            for (int c = 0; c < Cores; c++) begin
              if (cidx_q[CoreW-1:0] == CoreW'(c)) begin
                first_x_q[32*c +: 32] <= div_r;
                first_y_q[32*c +: 32] <= div_q[31:0];
              end
            end
            div_a     <= total_q - {{(64-CoreW-1){1'b0}}, cidx_q} + 64'(Cores) - 64'd1;   // ceil((T - c) / C)
            div_b     <= Cores;
            div_start <= 1'b1;
            phase_q   <= 2'd2;
          end else if (phase_q == 2'd2 && div_done) begin
            for (int c = 0; c < Cores; c++) begin
              if (cidx_q[CoreW-1:0] == CoreW'(c)) my_tiles_q[32*c +: 32] <= div_q[31:0];
            end
            cidx_q  <= cidx_q + 1'b1;
            phase_q <= 2'd0;
          end
        end
        EStart: begin
          now_q         <= '0;           // the cores prepare their first tile (start): cycle 0 is next
          chan_free_q   <= '0;
          state_q       <= ERun;
        end
        ERun: begin
          if (ce) begin
            now_q       <= now_q + 48'd1;
            chan_free_q <= chan_free_n;
          end
          if (abort_i) begin
            stop_q  <= 1'b1;
            state_q <= EDrain;
          end else if (stop) begin
            // The lowest failing core in the failing cycle, else the watchdog.
            logic found;
            found = 1'b0;
            for (int c = 0; c < Cores; c++) begin
              if (!found && c_error[c]) begin
                found = 1'b1;
                status_q <= c_err_status[8*c +: 8];
                info_q   <= c_err_info[64*c +: 64];
              end
            end
            if (!found) begin
              status_q <= pacq_abi_pkg::StatusWatchdog;
              info_q   <= {32'b0, budget_q};
            end
            stop_q  <= 1'b1;
            kend_q  <= now_q;
            state_q <= EDrain;
          end else if (&c_done) begin
            logic [47:0] e;
            e = '0;
            for (int c = 0; c < Cores; c++) begin
              if (c_end_cycle[48*c +: 48] > e) e = c_end_cycle[48*c +: 48];
            end
            kend_q        <= e;
            stop_q        <= 1'b1;
            state_q       <= EDrain;
          end
        end
        EDrain: begin
          if (fifo_cnt_q == '0 && tag_cnt_q == '0 && writes_out_q == '0 && !rd_valid_q) begin
            cidx_q  <= '0;
            sum_q   <= '0;
            state_q <= abort_i ? EIdle : ESum;
          end
        end
        ESum: begin
          if (cidx_q == (CoreW+1)'(Cores)) begin
            state_q <= EDone;
          end else begin
            for (int i = 0; i < 12; i++) begin
              sum_q[64*i +: 64] <= sum_q[64*i +: 64] + sum_core[64*i +: 64];
            end
            cidx_q <= cidx_q + 1'b1;
          end
        end
        EDone, EFail: state_q <= EIdle;
        default: state_q <= EIdle;
      endcase
      if (abort_i && state_q != ERun && state_q != EDrain && state_q != EIdle) begin
        // Abort during SETUP: let a program load's reads finish, then idle.
        stop_q  <= 1'b1;
        state_q <= EDrain;
      end
    end
  end

  assign ready_o    = state_q == EIdle;
  assign idle_o     = state_q == EIdle;
  assign done_o     = (state_q == EDone || state_q == EFail) && !abort_i;
  assign status_o   = status_q;
  assign err_info_o = info_q;
  assign cycles_o   = (state_q == EFail) ? 64'b0
                    : 64'(pacq_abi_pkg::CmdOverheadCycles) + load_cycles_q + {16'b0, kend_q};
  assign counters_o = (state_q == EFail) ? '0 : sum_q;
endmodule

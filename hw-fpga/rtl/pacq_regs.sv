// pacq_regs: the control registers of the device ABI (pacq_abi_pkg: Reg*, field positions), on an
// AXI4-Lite slave with 32-bit data.
//
// Holds the host-written registers (CTRL, ring and completion bases, RING_ENTRIES, SQ_TAIL,
// SCRATCH), IRQ_STATUS (set by completion events, write-1-to-clear) and the soft-reset sequence;
// reads the device-written values (SQ_HEAD, CPL_COUNT, STATUS, ERR_*, CYCLES) from the command
// processor. Unknown offsets read 0 and ignore writes; responses are always OKAY, like the
// emulator's register model (EmuDevice).
//
// Soft reset: writing CTRL with SOFT_RESET set raises abort_o; CTRL reads SOFT_RESET = 1 until the
// command processor reports quiesced_i (no command running, no memory transaction outstanding);
// then clear_o pulses for one cycle, which clears CTRL, SQ_TAIL, IRQ_STATUS here and the ring
// counters, errors and cycle count in the command processor.
//
// AXI4-Lite: one write and one read in flight. AW and W are accepted together (both valid, no
// response pending); B follows the next cycle. AR is accepted when no R is pending; R follows the
// next cycle. A CYCLES_LO read latches the upper half for the next CYCLES_HI read.
module pacq_regs #(
  parameter logic [63:0] MemBytes      = 64'h1_0000_0000, // CAP_MEM
  parameter int unsigned Cores         = pacq_abi_pkg::DefaultCores,
  parameter int unsigned Warps         = pacq_abi_pkg::DefaultWarps,
  parameter int unsigned Lanes         = pacq_abi_pkg::SimtLanes,
  parameter int unsigned SmemBytes     = pacq_abi_pkg::DefaultSmemBytes,
  parameter int unsigned MmaUnits      = pacq_abi_pkg::DefaultMmaUnits,
  parameter int unsigned MaxRing       = 1024,
  parameter int unsigned ClockKhz      = 0,
  parameter logic [31:0] CapBits       = 32'h0000_0114,   // INT2, INT4, INT8
  parameter logic [31:0] CapModes      = 32'h0000_0007,
  parameter logic [31:0] CapOpcodes    = 32'h0000_0001,
  parameter logic [7:0]  Model         = pacq_abi_pkg::ModelRtlSim
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [9:0]  dmem_latency_i,   // CAP_DMEM_LATENCY (the timing model's, runtime configured)
  input  logic [6:0]  dmem_bw_i,        // CAP_DMEM_BW

  // AXI4-Lite slave
  input  logic [11:0] s_awaddr_i,
  input  logic        s_awvalid_i,
  output logic        s_awready_o,
  input  logic [31:0] s_wdata_i,
  input  logic [3:0]  s_wstrb_i,
  input  logic        s_wvalid_i,
  output logic        s_wready_o,
  output logic [1:0]  s_bresp_o,
  output logic        s_bvalid_o,
  input  logic        s_bready_i,
  input  logic [11:0] s_araddr_i,
  input  logic        s_arvalid_i,
  output logic        s_arready_o,
  output logic [31:0] s_rdata_o,
  output logic [1:0]  s_rresp_o,
  output logic        s_rvalid_o,
  input  logic        s_rready_i,

  // to the command processor
  output logic        enable_o,
  output logic [63:0] ring_base_o,
  output logic [31:0] ring_entries_o,
  output logic [63:0] cpl_base_o,
  output logic [31:0] sq_tail_o,
  output logic        abort_o,         // soft reset requested: stop at once
  output logic        clear_o,         // one-cycle synchronous clear of the device state

  // from the command processor
  input  logic        quiesced_i,
  input  logic [31:0] sq_head_i,
  input  logic [31:0] cpl_count_i,
  input  logic        busy_i,
  input  logic        error_i,
  input  logic [31:0] err_code_i,
  input  logic [31:0] err_info_i,
  input  logic [63:0] cycles_i,
  input  logic        cpl_irq_i,       // a completion of a command with FLAGS.IRQ was written
  input  logic        err_irq_i,       // a completion with a non-OK status was written

  output logic        irq_o            // level: CTRL.IRQ_EN and IRQ_STATUS != 0
);
  localparam int unsigned EnableBit = pacq_abi_pkg::CtrlEnableLsb;
  localparam int unsigned IrqEnBit  = pacq_abi_pkg::CtrlIrqEnLsb;
  localparam int unsigned ResetBit  = pacq_abi_pkg::CtrlSoftResetLsb;
  localparam int unsigned CplBit    = pacq_abi_pkg::IrqStatusCplLsb;
  localparam int unsigned ErrBit    = pacq_abi_pkg::IrqStatusErrLsb;

  logic        enable_q, irq_en_q, reset_pending_q;
  logic [31:0] ring_base_lo_q, ring_base_hi_q, ring_entries_q, cpl_base_lo_q, cpl_base_hi_q;
  logic [31:0] sq_tail_q, scratch_q, cycles_hi_q;
  logic [1:0]  irq_status_q;
  logic        bvalid_q, rvalid_q;
  logic [31:0] rdata_q;

  logic        wr_fire, rd_fire;
  logic [31:0] wdata;
  logic [31:0] rdata_d;

  assign s_awready_o = s_awvalid_i && s_wvalid_i && !bvalid_q;
  assign s_wready_o  = s_awready_o;
  assign wr_fire     = s_awready_o;
  assign s_bvalid_o  = bvalid_q;
  assign s_bresp_o   = 2'b00;
  assign s_arready_o = !rvalid_q;
  assign rd_fire     = s_arvalid_i && s_arready_o;
  assign s_rvalid_o  = rvalid_q;
  assign s_rdata_o   = rdata_q;
  assign s_rresp_o   = 2'b00;

  // Byte strobes apply to the stored registers (a 32-bit host always writes all four).
  always_comb begin
    for (int i = 0; i < 4; i++) begin
      wdata[8*i +: 8] = s_wstrb_i[i] ? s_wdata_i[8*i +: 8] : 8'h00;
    end
  end

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] d,
                                        input logic [3:0] strb);
    for (int i = 0; i < 4; i++) begin
      merge[8*i +: 8] = strb[i] ? d[8*i +: 8] : old[8*i +: 8];
    end
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      enable_q        <= 1'b0;
      irq_en_q        <= 1'b0;
      reset_pending_q <= 1'b0;
      ring_base_lo_q  <= '0;
      ring_base_hi_q  <= '0;
      ring_entries_q  <= 32'd1;
      cpl_base_lo_q   <= '0;
      cpl_base_hi_q   <= '0;
      sq_tail_q       <= '0;
      scratch_q       <= '0;
      irq_status_q    <= '0;
      bvalid_q        <= 1'b0;
    end else begin
      if (s_bvalid_o && s_bready_i) begin
        bvalid_q <= 1'b0;
      end
      // Completion events first, so a W1C in the same cycle clears only what the host saw.
      if (cpl_irq_i) irq_status_q[CplBit] <= 1'b1;
      if (err_irq_i) irq_status_q[ErrBit] <= 1'b1;
      if (wr_fire) begin
        bvalid_q <= 1'b1;
        unique case (s_awaddr_i & 12'hFFC)
          pacq_abi_pkg::RegCtrl: begin
            if (s_wstrb_i[3] && s_wdata_i[ResetBit]) begin
              reset_pending_q <= 1'b1;
            end else if (s_wstrb_i[0]) begin
              enable_q <= s_wdata_i[EnableBit];
              irq_en_q <= s_wdata_i[IrqEnBit];
            end
          end
          pacq_abi_pkg::RegRingBaseLo:  ring_base_lo_q <= merge(ring_base_lo_q, s_wdata_i, s_wstrb_i);
          pacq_abi_pkg::RegRingBaseHi:  ring_base_hi_q <= merge(ring_base_hi_q, s_wdata_i, s_wstrb_i);
          pacq_abi_pkg::RegRingEntries: ring_entries_q <= merge(ring_entries_q, s_wdata_i, s_wstrb_i);
          pacq_abi_pkg::RegCplBaseLo:   cpl_base_lo_q  <= merge(cpl_base_lo_q, s_wdata_i, s_wstrb_i);
          pacq_abi_pkg::RegCplBaseHi:   cpl_base_hi_q  <= merge(cpl_base_hi_q, s_wdata_i, s_wstrb_i);
          pacq_abi_pkg::RegSqTail:      sq_tail_q      <= merge(sq_tail_q, s_wdata_i, s_wstrb_i);
          pacq_abi_pkg::RegScratch:     scratch_q      <= merge(scratch_q, s_wdata_i, s_wstrb_i);
          pacq_abi_pkg::RegIrqStatus: begin
            if (wdata[CplBit]) irq_status_q[CplBit] <= cpl_irq_i;
            if (wdata[ErrBit]) irq_status_q[ErrBit] <= err_irq_i;
          end
          default: ;
        endcase
      end
      if (clear_o) begin
        reset_pending_q <= 1'b0;
        enable_q        <= 1'b0;
        irq_en_q        <= 1'b0;
        sq_tail_q       <= '0;
        irq_status_q    <= '0;
      end
    end
  end

  assign abort_o = reset_pending_q;
  assign clear_o = reset_pending_q && quiesced_i;

  always_comb begin
    rdata_d = 32'h0;
    unique case (s_araddr_i & 12'hFFC)
      pacq_abi_pkg::RegId:          rdata_d = pacq_abi_pkg::Magic;
      pacq_abi_pkg::RegAbiVersion:  rdata_d = (pacq_abi_pkg::AbiVersionMajor << pacq_abi_pkg::AbiVersionMajorLsb)
                                              | (pacq_abi_pkg::AbiVersionMinor << pacq_abi_pkg::AbiVersionMinorLsb);
      pacq_abi_pkg::RegCtrl: begin
        rdata_d[EnableBit] = enable_q;
        rdata_d[IrqEnBit]  = irq_en_q;
        rdata_d[ResetBit]  = reset_pending_q;
      end
      pacq_abi_pkg::RegStatus: begin
        rdata_d[pacq_abi_pkg::StatusBusyLsb]  = busy_i;
        rdata_d[pacq_abi_pkg::StatusErrorLsb] = error_i;
      end
      pacq_abi_pkg::RegRingBaseLo:  rdata_d = ring_base_lo_q;
      pacq_abi_pkg::RegRingBaseHi:  rdata_d = ring_base_hi_q;
      pacq_abi_pkg::RegRingEntries: rdata_d = ring_entries_q;
      pacq_abi_pkg::RegCplBaseLo:   rdata_d = cpl_base_lo_q;
      pacq_abi_pkg::RegCplBaseHi:   rdata_d = cpl_base_hi_q;
      pacq_abi_pkg::RegSqTail:      rdata_d = sq_tail_q;
      pacq_abi_pkg::RegSqHead:      rdata_d = sq_head_i;
      pacq_abi_pkg::RegCplCount:    rdata_d = cpl_count_i;
      pacq_abi_pkg::RegIrqStatus:   rdata_d = {30'b0, irq_status_q};
      pacq_abi_pkg::RegErrCode:     rdata_d = err_code_i;
      pacq_abi_pkg::RegErrInfo:     rdata_d = err_info_i;
      pacq_abi_pkg::RegScratch:     rdata_d = scratch_q;
      pacq_abi_pkg::RegCyclesLo:    rdata_d = cycles_i[31:0];
      pacq_abi_pkg::RegCyclesHi:    rdata_d = cycles_hi_q;
      pacq_abi_pkg::RegCapCores:    rdata_d = Cores;
      pacq_abi_pkg::RegCapWarps:    rdata_d = Warps;
      pacq_abi_pkg::RegCapLanes:    rdata_d = Lanes;
      pacq_abi_pkg::RegCapBits:     rdata_d = CapBits;
      pacq_abi_pkg::RegCapModes:    rdata_d = CapModes;
      pacq_abi_pkg::RegCapOpcodes:  rdata_d = CapOpcodes;
      pacq_abi_pkg::RegCapMemLo:    rdata_d = MemBytes[31:0];
      pacq_abi_pkg::RegCapMemHi:    rdata_d = MemBytes[63:32];
      pacq_abi_pkg::RegCapMaxRing:  rdata_d = MaxRing;
      pacq_abi_pkg::RegCapClockKhz: rdata_d = ClockKhz;
      pacq_abi_pkg::RegCapSmemBytes: rdata_d = SmemBytes;
      pacq_abi_pkg::RegCapMmaUnits: rdata_d = MmaUnits;
      pacq_abi_pkg::RegCapModel:    rdata_d = {24'b0, Model};
      pacq_abi_pkg::RegCapDmemLatency: rdata_d = {22'b0, dmem_latency_i};
      pacq_abi_pkg::RegCapDmemBw:   rdata_d = {25'b0, dmem_bw_i};
      default: ;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rvalid_q    <= 1'b0;
      rdata_q     <= '0;
      cycles_hi_q <= '0;
    end else begin
      if (s_rvalid_o && s_rready_i) begin
        rvalid_q <= 1'b0;
      end
      if (rd_fire) begin
        rvalid_q <= 1'b1;
        rdata_q  <= rdata_d;
        if ((s_araddr_i & 12'hFFC) == pacq_abi_pkg::RegCyclesLo) begin
          cycles_hi_q <= cycles_i[63:32];
        end
      end
      if (clear_o) begin
        cycles_hi_q <= '0;
      end
    end
  end

  assign enable_o       = enable_q;
  assign ring_base_o    = {ring_base_hi_q, ring_base_lo_q};
  assign ring_entries_o = ring_entries_q;
  assign cpl_base_o     = {cpl_base_hi_q, cpl_base_lo_q};
  assign sq_tail_o      = sq_tail_q;
  assign irq_o          = irq_en_q && (irq_status_q != 2'b00);
endmodule

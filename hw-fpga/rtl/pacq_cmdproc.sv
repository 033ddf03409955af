// pacq_cmdproc: the command processor. Fetches descriptors from the command ring in device
// memory, executes them (NOP at once; GEMM by handing the descriptor to the execution engine),
// writes the completion record, then advances CPL_COUNT and raises the completion events, in
// submission order, one command at a time (ABI: Desc, Cpl, SQ_TAIL/SQ_HEAD/CPL_COUNT).
//
//   IDLE --(ENABLE, SQ_HEAD != SQ_TAIL)--> FETCH (AR, R beats) --> DECODE --> NOP: record
//                                                                  |-> GEMM, LAUNCH: EXEC (engine) --> record
//                                                                  '-> other: BAD_OPCODE record
//   record: AW + W beats (128 bytes at CPL_BASE + slot*128) --> B --> CPL_COUNT++, events --> IDLE
//
// Descriptor slot = SQ_HEAD mod RING_ENTRIES (RING_ENTRIES is a power of two). CYCLES in the record
// is the machine's (docs/simt.md 6.5: CMD_OVERHEAD_CYCLES + kernel cycles for GEMM and LAUNCH, 0 for
// NOP and refused commands, as the emulator reports); the CYCLES register sums the records. The
// first failure since reset is latched in ERR_CODE/ERR_INFO and STATUS.ERROR.
//
// Abort (soft reset): in-flight AXI bursts are finished (a master may not abandon a burst), the
// engine is told to stop, no record is written; quiesced_o is high once nothing is outstanding.
//
// Memory port: an AXI4 master of DataWidth bits used only between commands' executions (the engine
// owns the shared port while it runs: mem_owner_o); one burst at a time, 128-byte bursts.
module pacq_cmdproc #(
  parameter int unsigned DataWidth = 256,
  parameter int unsigned IdWidth   = 4,
  parameter int unsigned NumCounters = 13  // Cpl counters after STATUS: CYCLES .. STALL_BARRIER
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // registers
  input  logic        enable_i,
  input  logic [63:0] ring_base_i,
  input  logic [31:0] ring_entries_i,
  input  logic [63:0] cpl_base_i,
  input  logic [31:0] sq_tail_i,
  input  logic        abort_i,
  input  logic        clear_i,
  output logic        quiesced_o,
  output logic [31:0] sq_head_o,
  output logic [31:0] cpl_count_o,
  output logic        busy_o,
  output logic        error_o,
  output logic [31:0] err_code_o,
  output logic [31:0] err_info_o,
  output logic [63:0] cycles_o,
  output logic        cpl_irq_o,
  output logic        err_irq_o,

  // execution engine (GEMM)
  output logic        exec_valid_o,    // held until exec_ready_i
  input  logic        exec_ready_i,
  output logic [pacq_abi_pkg::DescBytes*8-1:0] exec_desc_o,
  output logic        exec_abort_o,
  input  logic        exec_done_i,     // one cycle, with status, info and counters
  input  logic [7:0]  exec_status_i,
  input  logic [63:0] exec_err_info_i,
  input  logic [63:0]            exec_cycles_i,   // CYCLES of the record (docs/simt.md 6.5)
  input  logic [64*(NumCounters-1)-1:0] exec_counters_i, // INSTRUCTIONS .. STALL_BARRIER
  input  logic        exec_idle_i,
  output logic        mem_owner_o,     // 1: the engine drives the shared memory port

  // AXI4 master (read address, read data, write address, write data, write response)
  output logic [IdWidth-1:0]     m_arid_o,
  output logic [63:0]            m_araddr_o,
  output logic [7:0]             m_arlen_o,
  output logic [2:0]             m_arsize_o,
  output logic [1:0]             m_arburst_o,
  output logic                   m_arvalid_o,
  input  logic                   m_arready_i,
  input  logic [DataWidth-1:0]   m_rdata_i,
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
  output logic [DataWidth-1:0]   m_wdata_o,
  output logic [DataWidth/8-1:0] m_wstrb_o,
  output logic                   m_wlast_o,
  output logic                   m_wvalid_o,
  input  logic                   m_wready_i,
  input  logic                   m_bvalid_i,
  output logic                   m_bready_o
);
  localparam int unsigned RecBits   = pacq_abi_pkg::DescBytes * 8;   // descriptor and record
  localparam int unsigned Beats     = RecBits / DataWidth;
  localparam int unsigned BeatW     = (Beats > 1) ? $clog2(Beats) : 1;
  localparam int unsigned SizeLog2  = $clog2(DataWidth / 8);

  typedef enum logic [3:0] {
    SIdle, SFetchAr, SFetchR, SDecode, SExecStart, SExec, SCplAw, SCplW, SCplB, SDrain
  } state_e;

  state_e          state_q;
  logic [31:0]     sq_head_q, cpl_count_q, slot_q;
  logic [RecBits-1:0] desc_q, rec_q;
  logic [BeatW-1:0] beat_q;
  logic            error_q;
  logic [31:0]     err_code_q, err_info_q;
  logic [63:0]     cycles_total_q, exec_cyc_q;
  logic [7:0]      status_q;
  logic [63:0]     info_q;
  logic [64*(NumCounters-1)-1:0] counters_q;
  logic            irq_flag_q;
  logic            abort_seen_q;   // abort arrived during a burst: drop the command after it

  logic [7:0]      opcode;
  logic [63:0]     slot_off;

  assign opcode   = desc_q[8*pacq_abi_pkg::DescOpcodeOffset +: 8];
  assign slot_off = {32'b0, sq_head_q & (ring_entries_i - 32'd1)} << $clog2(pacq_abi_pkg::DescBytes);

  // Completion record, little-endian (pacq_abi_pkg::Cpl*).
  function automatic logic [RecBits-1:0] record(input logic [31:0] seq, input logic [7:0] st,
                                                input logic [63:0] cyc,
                                                input logic [64*(NumCounters-1)-1:0] ctr,
                                                input logic [63:0] info);
    record = '0;
    record[8*pacq_abi_pkg::CplSeqOffset +: 32]     = seq;
    record[8*pacq_abi_pkg::CplStatusOffset +: 32]  = {24'b0, st};
    record[8*pacq_abi_pkg::CplCyclesOffset +: 64]  = cyc;
    record[8*pacq_abi_pkg::CplInstructionsOffset +: 64*(NumCounters-1)] = ctr;
    record[8*pacq_abi_pkg::CplErrInfoOffset +: 64] = info;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q        <= SIdle;
      sq_head_q      <= '0;
      cpl_count_q    <= '0;
      slot_q         <= '0;
      desc_q         <= '0;
      rec_q          <= '0;
      beat_q         <= '0;
      error_q        <= 1'b0;
      err_code_q     <= '0;
      err_info_q     <= '0;
      cycles_total_q <= '0;
      exec_cyc_q     <= '0;
      status_q       <= '0;
      info_q         <= '0;
      counters_q     <= '0;
      irq_flag_q     <= 1'b0;
      abort_seen_q   <= 1'b0;
    end else if (clear_i) begin
      state_q        <= SIdle;
      sq_head_q      <= '0;
      cpl_count_q    <= '0;
      error_q        <= 1'b0;
      err_code_q     <= '0;
      err_info_q     <= '0;
      cycles_total_q <= '0;
      abort_seen_q   <= 1'b0;
    end else begin
      if (abort_i && state_q != SIdle) begin
        abort_seen_q <= 1'b1;
      end
      unique case (state_q)
        SIdle: begin
          if (enable_i && !abort_i && sq_head_q != sq_tail_i) begin
            state_q      <= SFetchAr;
            slot_q       <= sq_head_q & (ring_entries_i - 32'd1);
            exec_cyc_q   <= 64'd0;     // NOP and refused opcodes: no machine cycles
            beat_q       <= '0;
            status_q     <= pacq_abi_pkg::StatusOk;
            info_q       <= '0;
            counters_q   <= '0;
            abort_seen_q <= 1'b0;
          end
        end
        SFetchAr: begin
          if (m_arready_i) begin
            state_q <= SFetchR;
          end
        end
        SFetchR: begin
          if (m_rvalid_i) begin
            desc_q[DataWidth*beat_q +: DataWidth] <= m_rdata_i;
            beat_q <= beat_q + BeatW'(1);
            if (m_rlast_i) begin
              sq_head_q <= sq_head_q + 32'd1;
              state_q   <= (abort_i || abort_seen_q) ? SIdle : SDecode;
            end
          end
        end
        SDecode: begin
          irq_flag_q <= desc_q[8*pacq_abi_pkg::DescFlagsOffset + pacq_abi_pkg::DescFlagsIrqBit];
          if (abort_i) begin
            state_q <= SIdle;
          end else if (opcode == pacq_abi_pkg::OpcodeNop) begin
            state_q <= SCplAw;
          end else if (opcode == pacq_abi_pkg::OpcodeGemm || opcode == pacq_abi_pkg::OpcodeLaunch) begin
            state_q <= SExecStart;
          end else begin
            status_q <= pacq_abi_pkg::StatusBadOpcode;
            info_q   <= {56'b0, opcode};
            state_q  <= SCplAw;
          end
        end
        SExecStart: begin
          if (abort_i) begin
            state_q <= SDrain;
          end else if (exec_ready_i) begin
            state_q <= SExec;
          end
        end
        SExec: begin
          if (exec_done_i) begin
            status_q   <= exec_status_i;
            info_q     <= exec_err_info_i;
            counters_q <= exec_counters_i;
            exec_cyc_q <= exec_cycles_i;
            state_q    <= (abort_i || abort_seen_q) ? SDrain : SCplAw;
          end else if (abort_i) begin
            state_q <= SDrain;
          end
        end
        SDrain: begin
          if (exec_idle_i) begin
            state_q <= SIdle;
          end
        end
        SCplAw: begin
          if (m_awready_i) begin
            state_q <= SCplW;
            beat_q  <= '0;
            rec_q   <= record(desc_q[8*pacq_abi_pkg::DescSeqOffset +: 32], status_q, exec_cyc_q,
                              counters_q, info_q);
          end
        end
        SCplW: begin
          if (m_wready_i) begin
            beat_q <= beat_q + BeatW'(1);
            if (m_wlast_o) begin
              state_q <= SCplB;
            end
          end
        end
        SCplB: begin
          if (m_bvalid_i) begin
            state_q <= SIdle;
            if (!(abort_i || abort_seen_q)) begin
              cpl_count_q    <= cpl_count_q + 32'd1;
              cycles_total_q <= cycles_total_q + rec_q[8*pacq_abi_pkg::CplCyclesOffset +: 64];
              if (status_q != pacq_abi_pkg::StatusOk && !error_q) begin
                error_q    <= 1'b1;
                err_code_q <= {24'b0, status_q};
                err_info_q <= info_q[31:0];
              end
            end
          end
        end
        default: state_q <= SIdle;
      endcase
    end
  end

  assign cpl_irq_o = state_q == SCplB && m_bvalid_i && irq_flag_q && !(abort_i || abort_seen_q);
  assign err_irq_o = state_q == SCplB && m_bvalid_i && status_q != pacq_abi_pkg::StatusOk
                     && !(abort_i || abort_seen_q);

  assign quiesced_o  = (state_q == SIdle) && exec_idle_i;
  assign sq_head_o   = sq_head_q;
  assign cpl_count_o = cpl_count_q;
  assign busy_o      = state_q != SIdle;
  assign error_o     = error_q;
  assign err_code_o  = err_code_q;
  assign err_info_o  = err_info_q;
  assign cycles_o    = cycles_total_q;

  assign exec_valid_o = state_q == SExecStart && !abort_i;
  assign exec_desc_o  = desc_q;
  assign exec_abort_o = abort_i || abort_seen_q;
  assign mem_owner_o  = state_q == SExec || state_q == SExecStart || state_q == SDrain;

  // AXI: descriptor read and record write, 128-byte INCR bursts.
  assign m_arid_o    = '0;
  assign m_araddr_o  = ring_base_i + slot_off;
  assign m_arlen_o   = 8'(Beats - 1);
  assign m_arsize_o  = 3'(SizeLog2);
  assign m_arburst_o = 2'b01;
  assign m_arvalid_o = state_q == SFetchAr;
  assign m_rready_o  = state_q == SFetchR;

  assign m_awid_o    = '0;
  assign m_awaddr_o  = cpl_base_i + ({32'b0, slot_q} << $clog2(pacq_abi_pkg::CplBytes));
  assign m_awlen_o   = 8'(Beats - 1);
  assign m_awsize_o  = 3'(SizeLog2);
  assign m_awburst_o = 2'b01;
  assign m_awvalid_o = state_q == SCplAw;
  assign m_wdata_o   = rec_q[DataWidth*beat_q +: DataWidth];
  assign m_wstrb_o   = '1;
  assign m_wlast_o   = beat_q == BeatW'(Beats - 1);
  assign m_wvalid_o  = state_q == SCplW;
  assign m_bready_o  = state_q == SCplB;
endmodule

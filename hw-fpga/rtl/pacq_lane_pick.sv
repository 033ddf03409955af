// pacq_lane_pick: one lane's bytes of a load (pacq_simt_pkg::pick_bytes) from a row of 16-byte
// words: the 32 banks' read words for a shared-memory load, the 4 quarters of a 64-byte block for a
// global load. pacq_core instantiates one per lane and path under SYNTHESIS, so that a
// hierarchical synthesis maps the word select once per path; simulation picks the words only in
// the cycles that take them. Combinational.
module pacq_lane_pick #(
  parameter int unsigned Words = 32
) (
  input  logic [128*Words-1:0]     row_i,
  input  logic [$clog2(Words)-1:0] word_i,   // the lane's word
  input  logic [3:0]               off_i,    // its first byte in the word
  input  logic [15:0]              strb_i,   // the access's bytes at byte 0
  output logic [127:0]             data_o
);
  assign data_o = pacq_simt_pkg::pick_bytes(row_i[128*word_i +: 128], off_i, strb_i);
endmodule

// pacq_lane_merge: one 16-byte word of a store (a shared-memory bank's write port, or a quarter of
// a device-memory transaction): the selected lanes' enabled bytes merged in ascending lane order,
// so that the highest lane wins, and the union of their byte enables. pacq_core instantiates one
// per bank and one per quarter under SYNTHESIS, so that a hierarchical synthesis maps this slice
// of the lane-to-word crossbar once; simulation merges each lane into its word in one loop.
// Combinational.
module pacq_lane_merge #(
  parameter int unsigned Lanes = 32
) (
  input  logic [Lanes-1:0]     sel_i,    // lanes that store into this word
  input  logic [16*Lanes-1:0]  strb_i,   // lane l's byte enables in the word at [16l]
  input  logic [128*Lanes-1:0] data_i,   // and its data at [128l]
  output logic [127:0]         data_o,
  output logic [15:0]          strb_o
);
  // Per byte: the highest lane that writes it, as a one-hot select (an AND-OR of the lanes' bytes
  // maps to about a third of the LUTs of a chain of 32 two-way merges).
  always_comb begin
    logic [Lanes-1:0] top;                // the byte's winning lane, one-hot
    logic             seen;               // a higher lane writes the byte
    top = '0;
    seen = 1'b0;
    data_o = '0;
    strb_o = '0;
    for (int k = 0; k < 16; k++) begin
      seen = 1'b0;
      for (int l = Lanes - 1; l >= 0; l--) begin
        top[l] = sel_i[l] && strb_i[16*l + k] && !seen;
        seen   = seen || (sel_i[l] && strb_i[16*l + k]);
      end
      for (int l = 0; l < Lanes; l++) data_o[8*k +: 8] = data_o[8*k +: 8] | (data_i[128*l + 8*k +: 8] & {8{top[l]}});
      strb_o[k] = seen;
    end
  end
endmodule

#!/usr/bin/env bash
# Yosys synthesis of the PacQ units for a Xilinx UltraScale+ device (synth_xilinx -family xcup),
# with the resources each needs: LUTs, flip-flops, DSP48E2 slices, block RAM (RAMB36 equivalents),
# LUT RAM and carry chains. Called by `make -C hw-fpga synth`; writes build/synth/<unit>.stat and a
# table build/synth/report.md (also printed).
#
# The PacQ parallel FP-INT multiplier and the plain FP16 multiplier appear twice: as Yosys maps
# them (multipliers may go to DSP slices) and with -nodsp (everything in LUTs), which compares the
# logic itself.
#
# Environment: YOSYS (binary), BUILD (output directory), HW (hw-fpga directory), UNITS (optional
# list overriding the default set).
set -euo pipefail
YOSYS=${YOSYS:-yosys}
HW=${HW:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$HW/build/synth}
mkdir -p "$BUILD"
cd "$HW"

pkgs="rtl/pacq_abi_pkg.sv rtl/pacq_fp_pkg.sv rtl/pacq_simt_pkg.sv rtl/pacq_kernel_rom_pkg.sv"
# unit | sources | extra synth_xilinx options | label. Without -flatten in the options a design
# keeps its hierarchy: each module is synthesized once and the totals count its instances.
default_units=(
  "fp32_add|rtl/fp32_add.sv||FP32 adder (RN32)"
  "fp32_mul|rtl/fp32_mul.sv||FP32 multiplier (RN32)"
  "fp32_fma|rtl/fp32_fma.sv||FP32 fused multiply-add"
  "fp16_to_fp32|rtl/fp16_to_fp32.sv||FP16 -> FP32"
  "fp32_to_fp16|rtl/fp32_to_fp16.sv||FP32 -> FP16 (RN16)"
  "int_to_fp|rtl/int_to_fp.sv||I2F, I2H2"
  "fp16_mul|rtl/fp16_mul.sv||FP16 x FP16 multiplier (baseline)"
  "pacq_fpint_mul|rtl/pacq_fpint_mul.sv||PacQ FP16 x packed INT multiplier"
  "fp16_mul|rtl/fp16_mul.sv|-nodsp|FP16 x FP16 multiplier, LUTs only"
  "pacq_fpint_mul|rtl/pacq_fpint_mul.sv|-nodsp|PacQ FP-INT multiplier, LUTs only"
  "fp16_mul_core|rtl/fp16_mul_core.sv|-nodsp|FP16 significand multiplier 11x11 (no normaliser), LUTs"
  "pacq_fpint_mul_core|rtl/pacq_fpint_mul_core.sv|-nodsp|PacQ significand datapath 11x(8x2) (no normalisers), LUTs"
  "fp16_mul_core|rtl/fp16_mul_core.sv||FP16 significand multiplier 11x11 (no normaliser)"
  "pacq_fpint_mul_core|rtl/pacq_fpint_mul_core.sv||PacQ significand datapath 11x(8x2) (no normalisers)"
  "pacq_regs|rtl/pacq_regs.sv||AXI4-Lite register block"
  "pacq_cmdproc|rtl/pacq_cmdproc.sv||command processor"
  "pacq_divu|rtl/pacq_divu.sv||setup divider"
  "pacq_prog_rom|rtl/pacq_prog_rom.sv||kernel ROM 8192 x 64, one asynchronous read port (x cores)"
  "pacq_engine|rtl/pacq_divu.sv rtl/pacq_engine.sv|-glue|engine without cores and ROMs: program RAM, FIFOs, channel model, setup|$BUILD/pacq_core_ports.sv rtl/pacq_prog_rom.sv"
  "pacq_lane_alu|rtl/pacq_lane_alu.sv||one integer lane of a core (x32)"
  "pacq_lane_fpu|rtl/pacq_lane_fpu.sv||one FP lane of a core (x32)"
  "pacq_mma_slot|rtl/pacq_mma_slot.sv|-glue|glue of a multiplier slot: HMMA/PMMA result select"
  "pacq_mma_acc|rtl/pacq_mma_acc.sv|-glue|glue of an accumulation adder: running sum, drain copy, C select"
  "pacq_mma_unit|$BUILD/pacq_mma_unit_proc.v|-glue|glue of a matrix unit: operand select, stage and product registers, adder input selects"
  "pacq_rf_cell|rtl/pacq_rf_cell.sv||one bank of one lane of the register file: 64 words, 4 write x 4 read ports as a live-value table (x256)"
  "pacq_rf|rtl/pacq_rf.sv|-glue|glue of the register file: bank addresses, unaligned groups rotated into and out of bank order|rtl/pacq_rf_cell.sv"
  "pacq_smem_bank|rtl/pacq_smem_bank.sv||one bank of shared memory: 128 rows of 16 bytes, one port with byte enables (x32)"
  "pacq_lane_merge|rtl/pacq_lane_merge.sv||a store's 16-byte word merged from 32 lanes (x36: 32 shared-memory banks, 4 quarters of a block)"
  "pacq_lane_pick|rtl/pacq_lane_pick.sv||a shared-memory load lane's bytes from the 32 banks' words (x32)"
  "pacq_lane_pick|rtl/pacq_lane_pick.sv|-chparam:Words=4|a global load lane's bytes from a block's 4 quarters (x32)"
)
# The core's own logic (its units black boxes): the longest run, about 15 CPU minutes (ABC maps
# about 200 k gates) and 4.4 GB.
default_units+=("pacq_core|rtl/pacq_lane_ram.sv rtl/pacq_core.sv|-glue|glue of a core: fetch, scheduler, scoreboard, LSU control, result rings, matrix capture, counters|rtl/pacq_rf.sv rtl/pacq_mma_unit.sv rtl/pacq_lane_alu.sv rtl/pacq_lane_fpu.sv rtl/pacq_smem.sv rtl/pacq_lane_merge.sv rtl/pacq_lane_pick.sv")
# -glue: the unit's submodules (fp32_add, fp16_mul, pacq_fpint_mul, pacq_mma_slot, pacq_mma_acc, or the fifth
# field's files) are read as black boxes (read_verilog -lib), so the row counts only the unit's
# own logic; the composed rows below add the submodules' own rows times their instance counts.
# That is what a hierarchical synthesis (synth_xilinx without -flatten) reports too, at a fraction
# of the run time. pacq_engine's cores enter as a black box made from pacq_core's port list (the
# core has rows of its own), its ROMs as the pacq_prog_rom row.
libs="rtl/fp32_add.sv rtl/fp16_mul.sv rtl/pacq_fpint_mul.sv rtl/pacq_mma_slot.sv rtl/pacq_mma_acc.sv"
# The core's black box (its port list) is made by the Makefile, which runs this script.
[ -f "$BUILD/pacq_core_ports.sv" ] || { echo "synth.sh: $BUILD/pacq_core_ports.sv missing: run make -C hw-fpga synth" >&2; exit 1; }
# The kernel ROM image by $readmemh from the generated .hex (pacq_prog_rom.sv explains).
defs='-DPACQ_KERNEL_ROM_HEX="rtl/pacq_kernel_rom.hex"'
if [ -n "${UNITS:-}" ]; then
  IFS=$'\n' read -r -d '' -a units <<<"$UNITS" || true
else
  units=("${default_units[@]}")
fi

report="$BUILD/report.md"
{
  echo "| unit | LUT | FF | DSP | BRAM36 | LUTRAM | CARRY | what |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
} >"$report"

# One synthesis run: writes $BUILD/<tag>.stat and the report row $BUILD/<tag>.row.
synth_one() {
  local top srcs opts label glue_libs tag stat lib read
  IFS='|' read -r top srcs opts label glue_libs <<<"$1"
  tag=$top${opts:+_${opts#-}}
  tag=${tag//[:=]/_}
  stat="$BUILD/$tag.stat"
  read="read_verilog -sv $defs $pkgs $srcs"
  # -chparam:Name=Value: the module with a parameter other than its default.
  case "$opts" in -chparam:*)
    local nv=${opts#-chparam:}
    read="$read; chparam -set ${nv%%=*} ${nv#*=} $top"
    opts="" ;;
  esac
  if [ "$opts" = "-glue" ]; then
    lib="$glue_libs"
    if [ -z "$lib" ]; then
      for f in $libs; do [ "$f" = "$srcs" ] || lib="$lib $f"; done
    fi
    read="read_verilog -sv $pkgs; read_verilog -sv -lib $defs $lib; read_verilog -sv $defs $srcs"
    opts=""
  fi
  echo "synth $tag ..." >&2
  # A netlist source is a build product: the matrix unit after `proc`, which `make mma-syn` also
  # simulates. The Makefile makes it (when stale) inside this job, so that its `proc` runs next to
  # the other rows.
  case "$srcs" in *.v) make -C "$HW" --no-print-directory -s "$srcs" >&2 || return 1 ;; esac
  "$YOSYS" -q -w 'Resizing cell port' -l "$BUILD/$tag.log" -p "$read; synth_xilinx -family xcup -top $top -flatten -noiopad $opts; tee -q -o $stat stat -top $top" >/dev/null \
    || { echo "synth.sh: $tag failed; see $BUILD/$tag.log" >&2; return 1; }
  # The Xilinx primitives of the statistics (black-box instances have lower-case names: skipped).
  awk -v unit="$tag" -v label="$label" '
    /^=== / { delete c }
    /^[ \t]+[A-Z][A-Z0-9_]+[ \t]+[0-9]+$/ { c[$1] += $2 }
    END {
      lut = c["LUT1"] + c["LUT2"] + c["LUT3"] + c["LUT4"] + c["LUT5"] + c["LUT6"] + c["LUT6_2"];
      ff = c["FDRE"] + c["FDSE"] + c["FDCE"] + c["FDPE"];
      dsp = c["DSP48E2"];
      bram = c["RAMB36E2"] + c["RAMB18E2"] / 2;
      lutram = c["RAM32M"] + c["RAM32M16"] + c["RAM64M"] + c["RAM64M8"] + c["RAM32X1D"] + c["RAM64X1D"] + c["RAM128X1D"] + c["RAM256X1S"];
      carry = c["CARRY4"] + c["CARRY8"];
      printf "| %s | %d | %d | %d | %g | %d | %d | %s |\n", unit, lut, ff, dsp, bram, lutram, carry, label;
    }' "$stat" >"$BUILD/$tag.row"
}
export -f synth_one
export YOSYS BUILD pkgs libs defs

# Runs in parallel (JOBS processes), the longest runs first: the core's glue (about 15 CPU minutes,
# as long as all the other rows together), then the matrix unit's `proc` and glue, the register
# file's glue and the engine's two rows; the report keeps the list's order.
first=() next=() rest=()
for u in "${units[@]}"; do
  case "$u" in
    pacq_core\|*) first+=("$u") ;;
    pacq_mma_unit\|*|pacq_engine\|*|pacq_rf\|*|pacq_prog_rom\|*) next+=("$u") ;;
    *) rest+=("$u") ;;
  esac
done
printf '%s\0' "${first[@]}" "${next[@]}" "${rest[@]}" | xargs -0 -P "${JOBS:-2}" -I{} bash -c 'synth_one "$1"' _ {}
for u in "${units[@]}"; do
  IFS='|' read -r top _ opts _ <<<"$u"
  tag=$top${opts:+_${opts#-}}
  cat "$BUILD/${tag//[:=]/_}.row" >>"$report"
done

# Composed rows: a unit = its glue + its submodules' rows times their instance counts; the device
# = registers + command processor + engine + its cores.
awk -F'|' -v cores="${CORES:-2}" -v mma="${MMA_UNITS:-1}" '
  function row(name, v,   i) { printf "| %s |", name; for (i = 3; i <= 8; i++) printf " %.10g |", v[i] }
  { gsub(/ /, "", $2) }
  $2 == "fp32_add"              { for (i = 3; i <= 8; i++) add[i] = $i }
  $2 == "fp16_mul"              { for (i = 3; i <= 8; i++) hm[i] = $i }
  $2 == "pacq_fpint_mul"        { for (i = 3; i <= 8; i++) pm[i] = $i }
  $2 == "pacq_mma_slot_glue"    { for (i = 3; i <= 8; i++) sg[i] = $i }
  $2 == "pacq_mma_acc_glue"     { for (i = 3; i <= 8; i++) ag[i] = $i }
  $2 == "pacq_mma_unit_glue"    { for (i = 3; i <= 8; i++) ug[i] = $i }
  $2 == "pacq_lane_alu"         { for (i = 3; i <= 8; i++) alu[i] = $i }
  $2 == "pacq_lane_fpu"         { for (i = 3; i <= 8; i++) fpu[i] = $i }
  $2 == "pacq_prog_rom"         { for (i = 3; i <= 8; i++) rom[i] = $i }
  $2 == "pacq_engine_glue"      { for (i = 3; i <= 8; i++) eng[i] = $i }
  $2 == "pacq_rf_cell"          { for (i = 3; i <= 8; i++) rc[i] = $i }
  $2 == "pacq_rf_glue"          { for (i = 3; i <= 8; i++) rg[i] = $i }
  $2 == "pacq_smem_bank"        { for (i = 3; i <= 8; i++) sb[i] = $i }
  $2 == "pacq_lane_merge"       { for (i = 3; i <= 8; i++) lm[i] = $i }
  $2 == "pacq_lane_pick"        { for (i = 3; i <= 8; i++) lp[i] = $i }
  $2 == "pacq_lane_pick_chparam_Words_4" { for (i = 3; i <= 8; i++) lq[i] = $i }
  $2 == "pacq_core_glue"        { for (i = 3; i <= 8; i++) cg[i] = $i; glue = 1 }
  $2 == "pacq_regs"             { for (i = 3; i <= 8; i++) regs[i] = $i }
  $2 == "pacq_cmdproc"          { for (i = 3; i <= 8; i++) cp[i] = $i }
  END {
    for (i = 3; i <= 8; i++) { slot[i] = sg[i] + hm[i] + pm[i]; acc[i] = ag[i] + add[i]; mu[i] = ug[i] + 64 * slot[i] + 256 * acc[i] }
    for (i = 3; i <= 8; i++) rf[i] = rg[i] + 256 * rc[i]
    for (i = 3; i <= 8; i++) sm[i] = 32 * sb[i]
    for (i = 3; i <= 8; i++) lsu[i] = 36 * lm[i] + 32 * lp[i] + 32 * lq[i]
    for (i = 3; i <= 8; i++) core[i] = cg[i] + 32 * alu[i] + 32 * fpu[i] + mma * mu[i] + rf[i] + sm[i] + lsu[i]
    row("pacq_mma_slot", slot); print " one multiplier slot of a matrix unit: fp16_mul + pacq_fpint_mul + glue (x64) |"
    row("pacq_mma_acc", acc); print " one accumulation adder: fp32_add + glue (x256) |"
    row("pacq_mma_unit", mu); print " a matrix unit: 64 slots + 256 accumulation adders + glue |"
    row("pacq_rf", rf); print " the register file of the default machine: 8 banks x 32 lanes of cells + glue |"
    row("pacq_smem", sm); print " shared memory of the default machine (64 KiB): 32 banks |"
    row("pacq_lsu_bytes", lsu); print " the LSU byte paths of a core: 36 pacq_lane_merge + 64 pacq_lane_pick |"
    what = glue ? "a core: glue +" : "a core without its glue (no pacq_core_glue row):"
    row("pacq_core", core); printf " %s 32 ALU + 32 FPU lanes + %d matrix unit(s) + the register file + shared memory + LSU byte paths |\n", what, mma
    for (i = 3; i <= 8; i++) engine[i] = eng[i] + cores * rom[i]
    row("pacq_engine", engine); printf " the engine with its %d ROM read ports, without the cores |\n", cores
    for (i = 3; i <= 8; i++) dev[i] = regs[i] + cp[i] + engine[i] + cores * core[i]
    row("pacq_top", dev); printf " the device: registers + command processor + engine + %d cores%s |\n", cores, glue ? "" : " (without their glue)"
  }' "$report" >"$report.composed"
cat "$report.composed" >>"$report"
echo
cat "$report"

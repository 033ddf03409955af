#!/usr/bin/env bash
# The hardware checks of `./test` (run by drivers/rtlsim's Maven build in the integration-test
# phase, after the rtlsim co-simulation tests): make -C hw-fpga lint, test, rf-syn, synth and
# mma-syn, each timed (synth makes the matrix unit's netlist, which mma-syn then simulates). Without verilator
# every check is skipped with a loud message; without yosys synth and mma-syn are (both run Yosys).
# Any failure fails the build. Skip explicitly with -Dpacq.hw.skip (Maven) or PACQ_HW_SKIP=1.
set -euo pipefail
hw=$(cd "$(dirname "$0")" && pwd)
loud() {
  echo "################################################################################################" >&2
  echo "# WARNING: $1" >&2
  echo "################################################################################################" >&2
}
if [ "${PACQ_HW_SKIP:-0}" = 1 ]; then loud "hardware checks skipped on request (PACQ_HW_SKIP=1)"; exit 0; fi
if ! command -v verilator >/dev/null 2>&1; then
  loud "verilator is not installed: make -C hw-fpga lint/test/rf-syn/smem-syn/synth were NOT run (apt-get install verilator yosys g++ make zlib1g-dev)"
  exit 0
fi
targets=(lint test rf-syn smem-syn)
if command -v "${YOSYS:-yosys}" >/dev/null 2>&1; then
  targets+=(synth mma-syn)
else
  loud "yosys is not installed: make -C hw-fpga synth and mma-syn were NOT run (apt-get install yosys)"
fi
for t in "${targets[@]}"; do
  start=$(date +%s)
  make -C "$hw" --no-print-directory "$t"
  echo "hw-fpga: make $t passed in $(( $(date +%s) - start )) s"
done

#!/usr/bin/env bash
# Builds hw-fpga/build/rtlsim/libpacq_rtlsim.so for the rtlsim tests (called by drivers/rtlsim's
# Maven build in generate-test-resources). Without verilator it builds nothing and says so loudly:
# the tests that need the library are then skipped, with the same message. Any other failure
# (a verilator or compiler error) fails the build.
set -euo pipefail
hw=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v verilator >/dev/null 2>&1; then
  cat >&2 <<MSG
################################################################################################
# WARNING: verilator is not installed: the RTL co-simulation library was NOT built and every    #
# rtlsim test will be SKIPPED. Install verilator (>= 5.006), g++, make and zlib headers, e.g.   #
#   apt-get install verilator g++ make zlib1g-dev                                               #
################################################################################################
MSG
  exit 0
fi
exec make -C "$hw" --no-print-directory rtlsim

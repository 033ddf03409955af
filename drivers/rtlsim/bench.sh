#!/usr/bin/env bash
# Runs the rtlsim simulation-speed benchmark (io.pacq.rtlsim.RtlSimBench, docs/rtl.md): builds the
# module and its dependencies in the reactor (no install), then starts the benchmark on the test
# class path. Extra arguments are JVM options, e.g. -Dbench.runs=5.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/jdk.sh
pacq_find_jdk
./mvnw -q -B -pl drivers/rtlsim -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp=$(cat drivers/rtlsim/target/bench.classpath)
exec java --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector "$@" \
  -cp "drivers/rtlsim/target/test-classes:drivers/rtlsim/target/classes:$cp" io.pacq.rtlsim.RtlSimBench

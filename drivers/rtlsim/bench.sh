#!/usr/bin/env bash
# Runs io.pacq.rtlsim.RtlSimBench (simulation speed, cycle table, m16n256k1024 wall time) on the
# compiled classes of the checkout: compiles what it needs through the Maven wrapper (never
# `install`), builds the rtlsim library (make -C hw-fpga rtlsim), then runs the benchmark's main.
# Extra arguments are JVM options, e.g. -Dbench.runs=5 or -Dpacq.rtlsim.lib=other/libpacq_rtlsim.so.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. scripts/jdk.sh
pacq_find_jdk >/dev/null
./mvnw -q -B -pl drivers/rtlsim -am test-compile -Dpacq.hw.skip
make -C hw-fpga --no-print-directory rtlsim
m2=$HOME/.m2/repository
jna=$(sed -n 's:.*<jna.version>\(.*\)</jna.version>.*:\1:p' pom.xml)
slf4j=$(ls "$m2"/org/slf4j/slf4j-api/2.*/slf4j-api-2.*.jar | tail -n1)
cp=host-runtime/target/classes:host-runtime/target/test-classes:sw-emulator/target/classes
cp=$cp:drivers/rtlsim/target/classes:drivers/rtlsim/target/test-classes
cp=$cp:$m2/net/java/dev/jna/jna/$jna/jna-$jna.jar:$slf4j
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector \
  -Dpacq.rtlsim.lib="$root/hw-fpga/build/rtlsim/libpacq_rtlsim.so" "$@" -cp "$cp" io.pacq.rtlsim.RtlSimBench

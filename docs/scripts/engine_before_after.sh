#!/bin/bash
# LocalThroughputBenchmark from two builds, alternating in separate JVMs: OLD_CP and NEW_CP are each a benchmark
# classpath ("benchmarks/target/classes:$(cat …-cp.txt)" of that build). Run from the repository root (the benchmark
# reads ../shared). Each JVM waits until the one-minute load average is under 1.0.
#   OLD_CP=… NEW_CP=… bash docs/scripts/engine_before_after.sh [rounds=3] [alternations=2]
set -euo pipefail
: "${OLD_CP:?set OLD_CP to the benchmark class path of the build before}"
: "${NEW_CP:?set NEW_CP to the benchmark class path of the build after}"
quiet() { while awk '{exit !($1 >= 1.0)}' /proc/loadavg; do sleep 10; done; }
for round in $(seq 1 "${2:-2}"); do
  for which in old new; do
    cp=$OLD_CP; [ "$which" = new ] && cp=$NEW_CP
    quiet
    echo "=== $which, alternation $round, $(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Dai.djl.offline=true -cp "$cp" io.openautoglm.benchmarks.local.LocalThroughputBenchmark "${1:-3}"
  done
done

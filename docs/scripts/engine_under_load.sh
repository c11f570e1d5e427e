#!/bin/bash
# LocalThroughputBenchmark with one busy loop per core beside it (the local engine against LangChain4j under load).
# Run from the repository root with the benchmark classpath built as docs/benchmarks.md shows.
#   bash docs/scripts/engine_under_load.sh [rounds=3]
set -euo pipefail
busy=()
for _ in $(seq 1 "$(nproc)"); do yes > /dev/null & busy+=($!); done
trap 'kill "${busy[@]}" 2>/dev/null' EXIT
sleep 20
echo "=== under load, $(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
    io.openautoglm.benchmarks.local.LocalThroughputBenchmark "${1:-3}"
echo "=== done, $(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/bin/bash
# Training speed of autoglm-train against PyTorch eager in Python, one thread each, alternating, with the load average
# printed before and after each run (docs/benchmarks.md, "One thread each"). Run from the repository root after
#   apt-get install python3-torch libopenblas0-pthread
#   mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
# Arguments: rounds (2), steps per epoch (12).
set -euo pipefail
rounds=${1:-2}
steps=${2:-12}
cp="benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)"
for round in $(seq 1 "$rounds"); do
  echo "== round $round, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 docs/scripts/bert_train_speed.py 16 128 "$steps" 1
  echo "   load after python: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" \
    io.openautoglm.benchmarks.train.TrainSpeedBenchmark 16 128 "$steps" 2>&1 | grep -E "autoglm-train|threads is|machine"
  echo "   load after java: $(cut -d' ' -f1-3 /proc/loadavg)"
done

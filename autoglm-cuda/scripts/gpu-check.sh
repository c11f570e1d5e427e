#!/usr/bin/env bash
# One pass on a GPU machine: device facts, the module's whole JUnit suite (GPU tests included, so they
# run instead of skipping), PyTorch's cuDNN baseline when python3 has torch, then ConvBenchmark.
# The machine needs no Java or Maven: build the kit first on a developer machine with
# autoglm-cuda/scripts/make-gpu-kit.sh and bring autoglm-cuda/target/gpu-kit along.
#
#   OUT=/some/dir autoglm-cuda/scripts/gpu-check.sh      # results land in $OUT (default target/gpu-out)
set -uo pipefail
cd "$(dirname "$0")/.."                       # autoglm-cuda: the tests read src/ and scripts/ from here
kit=target/gpu-kit
out="${OUT:-$PWD/target/gpu-out}"
mkdir -p "$out"
java="$kit/jre/bin/java"
[ -x "$java" ] || { echo "gpu-check: $kit missing; run scripts/make-gpu-kit.sh first" >&2; exit 2; }
cp="$kit/classes:$(ls "$kit"/lib/*.jar | grep -v console-standalone | tr '\n' ':')"
console="$(ls "$kit"/lib/junit-platform-console-standalone-*.jar)"

# JCuda's binding links libcuda.so.1 by name; some images keep the driver outside the loader's cache.
if ! ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; then
  for d in /usr/local/nvidia/lib64 /usr/lib/x86_64-linux-gnu /usr/lib64; do
    if [ -e "$d/libcuda.so.1" ]; then export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; break; fi
  done
fi

{
  date -u
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.limit --format=csv
  nvcc --version 2>/dev/null | tail -1
} 2>&1 | tee "$out/device.txt"

echo "== JUnit (GPU tests run here) =="
timeout 240 "$java" -jar "$console" execute --class-path "$kit/test-classes:$cp" \
    --scan-class-path "$kit/test-classes" --disable-banner --disable-ansi-colors --details=tree 2>&1 | tee "$out/junit.txt"
junit_rc=${PIPESTATUS[0]}

echo "== PyTorch baseline =="
if python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  PYTHONUNBUFFERED=1 timeout 240 python3 scripts/torch_baseline.py --out "$out/torch.tsv" 2>&1 | tee "$out/torch.txt"
else
  echo "python3 has no CUDA-enabled torch here: no cuDNN baseline" | tee "$out/torch.txt"
fi

echo "== ConvBenchmark =="
timeout 300 "$java" -cp "$cp" io.openautoglm.cuda.bench.ConvBenchmark --torch "$out/torch.tsv" \
    --out "$out/bench.md" 2>&1 | tee "$out/bench.txt"
bench_rc=${PIPESTATUS[0]}
nvidia-smi --query-gpu=clocks.sm,clocks.mem,temperature.gpu --format=csv,noheader >> "$out/device.txt" 2>&1
echo "gpu-check: junit exit $junit_rc, benchmark exit $bench_rc"
[ "$junit_rc" -eq 0 ] && [ "$bench_rc" -eq 0 ]

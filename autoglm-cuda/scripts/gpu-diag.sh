#!/usr/bin/env bash
# Kernel diagnostics on a GPU machine, with the kit of gpu-check.sh: the committed kernels against
# earlier or experimental PTX builds placed in target/gpu-kit/exp/*.ptx (same entries), on the batch-32
# layers, then Nsight Compute sections for two fused kernels. Everything goes to one file, diag.txt.
#
#   OUT=/some/dir [NCU=0] autoglm-cuda/scripts/gpu-diag.sh
set -uo pipefail
cd "$(dirname "$0")/.."
kit=target/gpu-kit
out="${OUT:-$PWD/target/gpu-out}"
mkdir -p "$out"
java="$kit/jre/bin/java"
cp="$kit/classes:$(ls "$kit"/lib/*.jar | grep -v console-standalone | tr '\n' ':')"
if ! ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; then
  for d in /usr/local/nvidia/lib64 /usr/lib/x86_64-linux-gnu /usr/lib64; do
    if [ -e "$d/libcuda.so.1" ]; then export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; break; fi
  done
fi
bench="io.openautoglm.cuda.bench.ConvBenchmark"
{
  for layer in "3x3 64->64/N32" "1x1 64->256/N32" "1x1 256->64/N32"; do
    echo "##### committed PTX, $layer"
    timeout 100 "$java" -cp "$cp" $bench --reps 20 --only "$layer" 2>&1 | grep "^| "
    for ptx in "$kit"/exp/*.ptx; do
      [ -e "$ptx" ] || continue
      echo "##### $(basename "$ptx"), $layer"
      timeout 100 "$java" -cp "$cp" $bench --reps 20 --only "$layer" --ptx "$ptx" 2>&1 | grep "^| "
    done
  done
  sections="--section SpeedOfLight --section Occupancy --section WarpStateStats --section SchedulerStats --section MemoryWorkloadAnalysis --section ComputeWorkloadAnalysis"
  specs=("3x3 64->64/N32:T64X64:conv_64x64_relu" "1x1 64->256/N32:T128X128:conv_128x128_relu")
  [ "${NCU:-1}" = 0 ] && specs=()   # NCU=0 skips the profiles
  for spec in "${specs[@]}"; do
    IFS=: read -r layer tile kern <<< "$spec"
    echo "##### ncu $layer $tile"
    timeout 90 ncu --clock-control none --target-processes all -k "$kern" -s 5 -c 1 $sections \
        "$java" -cp "$cp" $bench --only "$layer" --tiles "$tile" --reps 2 --inner 2 2>&1 \
      | grep -E "Duration|Throughput|Issue Slots|No Eligible|Warp Cycles Per Issued|Achieved Occupancy|Est. Speedup|stalled|represents about|Bank"
  done
} > "$out/diag.txt" 2>&1
cat "$out/diag.txt"

#!/usr/bin/env python3
"""PyTorch conv2d + relu (cuDNN) on the layers ConvBenchmark times, TF32 off and on.

    python3 autoglm-cuda/scripts/torch_baseline.py --out torch.tsv

Writes one line per layer: key <TAB> median µs with TF32 off <TAB> median µs with TF32 on, the key
matching ConvBenchmark's (e.g. "3x3 64->64/N32"). CUDA events, warm-up first, cudnn.benchmark on,
median of repeats of a loop of launches, inputs rotated over three fresh random sets.
"""
import argparse
import statistics
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:  # the GPU machine normally has torch; say so plainly if not
    print(f"torch_baseline: PyTorch not importable ({e}); no baseline", file=sys.stderr)
    sys.exit(3)

LAYERS = [("3x3 64->64", 64, 64, 3, 1), ("1x1 64->256", 64, 256, 1, 0), ("1x1 256->64", 256, 64, 1, 0)]


def time_us(fn, reps, inner):
    for i in range(3 * inner):
        fn(i)
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    samples, k = [], 0
    for _ in range(reps):
        start.record()
        for _ in range(inner):
            fn(k)
            k += 1
        stop.record()
        stop.synchronize()
        samples.append(start.elapsed_time(stop) * 1000.0 / inner)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--inner", type=int, default=20)
    a = ap.parse_args()
    if not torch.cuda.is_available():
        print("torch_baseline: torch sees no GPU", file=sys.stderr)
        sys.exit(3)
    dev = torch.device("cuda")
    torch.backends.cudnn.benchmark = True
    print(f"torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name()}")
    lines = ["# key\ttf32_off_us\ttf32_on_us"]
    for batch in (1, 32):
        for name, c, k, r, pad in LAYERS:
            sets = [torch.rand(batch, c, 56, 56, device=dev) * 2 - 1 for _ in range(3)]
            w = torch.rand(k, c, r, r, device=dev) * 2 - 1
            b = torch.rand(k, device=dev) * 2 - 1
            res = []
            for tf32 in (False, True):
                torch.backends.cudnn.allow_tf32 = tf32
                torch.backends.cuda.matmul.allow_tf32 = tf32
                res.append(time_us(lambda i: torch.relu(F.conv2d(sets[i % 3], w, b, padding=pad)), a.reps, a.inner))
            key = f"{name}/N{batch}"
            lines.append(f"{key}\t{res[0]:.2f}\t{res[1]:.2f}")
            print(f"{key}: conv2d+relu TF32 off {res[0]:.1f} µs, TF32 on {res[1]:.1f} µs")
    # Ceiling for FP32 arithmetic on this card: a large SGEMM through cuBLAS, TF32 off.
    torch.backends.cuda.matmul.allow_tf32 = False
    n = 8192
    x, y = torch.rand(n, n, device=dev), torch.rand(n, n, device=dev)
    us = time_us(lambda i: torch.mm(x, y), 5, 2)
    print(f"cuBLAS SGEMM {n}^3 (TF32 off): {2 * n**3 / us / 1e6:.1f} TFLOP/s")
    lines.append(f"# sgemm_fp32_tflops\t{2 * n**3 / us / 1e6:.2f}")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

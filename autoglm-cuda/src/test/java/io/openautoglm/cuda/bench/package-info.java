/**
 * Benchmark programs for this module (main classes, not tests). {@link
 * io.openautoglm.cuda.bench.ConvBenchmark} times fused against unfused kernels on a GPU; see
 * {@code docs/benchmarks.md} for the command and results.
 */
package io.openautoglm.cuda.bench;

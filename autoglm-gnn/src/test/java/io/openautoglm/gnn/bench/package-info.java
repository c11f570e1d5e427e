/**
 * Benchmark programs (main classes, not tests). Each prints the exact configuration it ran; numbers go
 * to {@code docs/benchmarks.md}. See {@link io.openautoglm.gnn.bench.GnnBenchmark} for the commands.
 */
package io.openautoglm.gnn.bench;

package io.openautoglm.cuda.bench;

import static io.openautoglm.cuda.internal.CudaModule.check;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;

import io.openautoglm.cuda.Conv2dSpec;
import io.openautoglm.cuda.internal.CpuConv;
import io.openautoglm.cuda.internal.CudaConv;
import io.openautoglm.cuda.internal.CudaModule;
import io.openautoglm.cuda.internal.CudaProbe;
import io.openautoglm.cuda.internal.TileConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * Times the fused kernel against the unfused pair (same convolution, then a separate ReLU kernel) on
 * ResNet-style layers, with CUDA events, after a warm-up, as the median of repeated runs on fresh
 * random data rotated over several buffer sets (so batch-32 runs do not time the L2 cache). Every
 * timed configuration is first checked against the CPU path bit for bit. Optionally reads PyTorch's
 * timings (scripts/torch_baseline.py) to print ratios.
 *
 * <pre>
 * java -cp autoglm-cuda/target/test-classes:autoglm-cuda/target/classes:CLASSPATH io.openautoglm.cuda.bench.ConvBenchmark [--reps 30] [--inner 20]
 *      [--torch torch.tsv] [--out results.md] [--only "3x3 64->64/N32"] [--tiles T64X64,T128X128]
 *      [--ptx experiment.ptx]
 * </pre>
 *
 * A benchmark program, not library code: it prints to standard output.
 */
public final class ConvBenchmark {
    private static final int POISON = 0x7fc0dead;

    private ConvBenchmark() {}

    /** One benchmark layer. */
    record Layer(String name, Conv2dSpec spec) {
        String key() {
            return name + "/N" + spec.batch();
        }
    }

    /** Median microseconds of one forward, per tile shape, fused and unfused. */
    record Timing(TileConfig tile, double fusedUs, double unfusedUs, double fusedSpreadUs) {}

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = parse(args);
        int reps = Integer.parseInt(opt.getOrDefault("reps", "30"));
        int inner = Integer.parseInt(opt.getOrDefault("inner", "20"));
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.available()) {
            System.out.println("ConvBenchmark: " + probe.describe() + "; timing the CPU path on batch 1 instead.");
            cpuOnly(Math.max(3, Math.min(reps, 7)));
            return;
        }
        Map<String, double[]> torch = readTorch(opt.get("torch"));
        if (opt.containsKey("ptx")) {
            CudaModule.overridePtx(Files.readString(Path.of(opt.get("ptx")), StandardCharsets.US_ASCII));
            System.out.println("kernels from " + opt.get("ptx") + " instead of the committed PTX");
        }
        String only = opt.get("only");
        List<TileConfig> tiles = new ArrayList<>();
        for (String t : opt.getOrDefault("tiles", "").split(",")) {
            if (!t.isBlank()) {
                tiles.add(TileConfig.valueOf(t.trim()));
            }
        }
        if (tiles.isEmpty()) {
            tiles.addAll(Arrays.asList(TileConfig.values()));
        }
        List<Layer> layers = new ArrayList<>();
        for (int batch : new int[] {1, 32}) {
            layers.add(new Layer(
                    "3x3 64->64",
                    Conv2dSpec.builder()
                            .batch(batch)
                            .inChannels(64)
                            .height(56)
                            .width(56)
                            .outChannels(64)
                            .kernel(3, 3)
                            .padding(1)
                            .build()));
            layers.add(new Layer(
                    "1x1 64->256",
                    Conv2dSpec.builder()
                            .batch(batch)
                            .inChannels(64)
                            .height(56)
                            .width(56)
                            .outChannels(256)
                            .kernel(1, 1)
                            .build()));
            layers.add(new Layer(
                    "1x1 256->64",
                    Conv2dSpec.builder()
                            .batch(batch)
                            .inChannels(256)
                            .height(56)
                            .width(56)
                            .outChannels(64)
                            .kernel(1, 1)
                            .build()));
        }
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        StringBuilder md = new StringBuilder();
        PrintStream out = System.out;
        double[] peaks = peaks(probe);
        out.printf(Locale.ROOT, "device: %s; seed %d; reps %d x %d launches%n", probe.describe(), seed, reps, inner);
        out.printf(
                Locale.ROOT,
                "peaks from device attributes: FP32 %.1f TFLOP/s, DRAM %.0f GB/s%n",
                peaks[0] / 1e12,
                peaks[1] / 1e9);

        List<String> rows = new ArrayList<>();
        List<String> tileRows = new ArrayList<>();
        double copyGbs = 0;
        for (Layer layer : layers) {
            if (only != null && !layer.key().equals(only)) {
                continue;
            }
            Conv2dSpec s = layer.spec();
            float[] w = uniform(rnd, s.weightLength());
            float[] b = uniform(rnd, s.outChannels());
            CpuConv cpu = new CpuConv(s, w, b);
            try (CudaConv gpu = new CudaConv(s, w, b, probe.multiprocessors())) {
                int sets = s.batch() >= 8 ? 3 : 4;
                CUdeviceptr[] ins = new CUdeviceptr[sets];
                CUdeviceptr[] outs = new CUdeviceptr[sets];
                float[][] hostIn = new float[sets][];
                try {
                    for (int i = 0; i < sets; i++) {
                        hostIn[i] = uniform(rnd, s.inputLength());
                        ins[i] = gpu.alloc(s.inputLength());
                        outs[i] = gpu.alloc(s.outputLength());
                        gpu.copyIn(ins[i], hostIn[i]);
                    }
                    if (copyGbs == 0) {
                        copyGbs = copyBandwidth(gpu);
                        out.printf(Locale.ROOT, "device-to-device copy: %.0f GB/s (read + write)%n", copyGbs);
                    }
                    TileConfig auto = gpu.tile();
                    List<Timing> timings = new ArrayList<>();
                    float[] expected = null;
                    if ((double) s.outputLength() * s.reductionLength() < 5e8) {
                        expected = new float[s.outputLength()];
                        cpu.forward(hostIn[0], expected);
                    }
                    String checks = "bit-exact";
                    for (TileConfig tile : tiles) {
                        gpu.tile(tile);
                        String problem = verify(gpu, cpu, expected, s, hostIn[0], ins[0], outs[0], rnd, tile);
                        if (problem != null) {
                            // Keep timing: one device session must return as much as it can.
                            out.println("CHECK FAILED: " + problem);
                            checks = "MISMATCH";
                        }
                        double[] f = time(gpu, reps, inner, i -> gpu.launchFused(ins[i % sets], outs[i % sets]));
                        double[] u = time(gpu, reps, inner, i -> gpu.launchUnfused(ins[i % sets], outs[i % sets]));
                        timings.add(new Timing(tile, f[0], u[0], f[1]));
                        tileRows.add(String.format(
                                Locale.ROOT,
                                "| %s N%d | %s%s | %.1f | %.1f | %.2f | %s |",
                                layer.name(),
                                s.batch(),
                                tile.name(),
                                tile == auto ? " (auto)" : "",
                                f[0],
                                u[0],
                                u[0] / f[0],
                                problem == null ? "bit-exact" : "MISMATCH"));
                    }
                    gpu.tile(auto);
                    Timing chosen = timings.stream()
                            .filter(t -> t.tile() == auto)
                            .findFirst()
                            .orElse(timings.get(0));
                    Timing best = timings.stream()
                            .min((x, y) -> Double.compare(x.fusedUs(), y.fusedUs()))
                            .orElseThrow();
                    double bytes =
                            4.0 * ((double) s.inputLength() + s.outputLength() + s.weightLength() + s.outChannels());
                    double gflops = s.flops() / (chosen.fusedUs() * 1e-6) / 1e9;
                    double gbs = bytes / (chosen.fusedUs() * 1e-6) / 1e9;
                    double[] t = torch.get(layer.key());
                    String torchCols = t == null
                            ? "n/a | n/a"
                            : String.format(
                                    Locale.ROOT,
                                    "%.1f (%.2fx) | %.1f (%.2fx)",
                                    t[0],
                                    t[0] / chosen.fusedUs(),
                                    t[1],
                                    t[1] / chosen.fusedUs());
                    rows.add(String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %.1f ±%.1f | %.1f | **%.2fx** | %s | %.0f (%s) | %.0f (%s) | %s %.1f | %s |",
                            layer.name(),
                            s.batch(),
                            chosen.tile().name(),
                            chosen.fusedUs(),
                            chosen.fusedSpreadUs(),
                            chosen.unfusedUs(),
                            chosen.unfusedUs() / chosen.fusedUs(),
                            torchCols,
                            gflops,
                            percent(gflops * 1e9, peaks[0]),
                            gbs,
                            percent(gbs * 1e9, peaks[1]),
                            best.tile().name(),
                            best.fusedUs(),
                            checks));
                } finally {
                    for (int i = 0; i < sets; i++) {
                        gpu.free(ins[i]);
                        gpu.free(outs[i]);
                    }
                }
            }
        }
        md.append("Device: ")
                .append(probe.describe())
                .append(String.format(
                        Locale.ROOT,
                        "; peaks from device attributes FP32 %.1f TFLOP/s, DRAM %.0f GB/s; measured device-to-device copy %.0f GB/s%n%n",
                        peaks[0] / 1e12,
                        peaks[1] / 1e9,
                        copyGbs));
        md.append(
                "| layer | N | tile (auto) | fused µs | unfused µs | unfused/fused | torch TF32 off µs (÷fused) "
                        + "| torch TF32 on µs (÷fused) | fused GFLOP/s (% FP32 peak) | fused GB/s (% DRAM peak) | best tile µs | check |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append(
                "\nEvery tile shape (fused µs, unfused µs, ratio):\n\n| layer | tile | fused µs | unfused µs | ratio | check |\n"
                        + "|---|---|---|---|---|---|\n");
        tileRows.forEach(r -> md.append(r).append('\n'));
        out.println();
        out.println(md);
        String file = opt.get("out");
        if (file != null) {
            Files.writeString(Path.of(file), md.toString(), StandardCharsets.UTF_8);
        }
    }

    private static String percent(double value, double peak) {
        return peak > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * value / peak) : "n/a";
    }

    /**
     * Bit-for-bit check of fused and unfused output against the CPU path, output poisoned first.
     *
     * @return null when both match, else what differed
     */
    private static String verify(
            CudaConv gpu,
            CpuConv cpu,
            float[] expected,
            Conv2dSpec s,
            float[] x,
            CUdeviceptr in,
            CUdeviceptr out,
            Random rnd,
            TileConfig tile) {
        boolean full = expected != null;
        for (boolean fused : new boolean[] {true, false}) {
            gpu.poison(out, s.outputLength(), POISON);
            if (fused) {
                gpu.launchFused(in, out);
            } else {
                gpu.launchUnfused(in, out);
            }
            float[] got = new float[s.outputLength()];
            gpu.copyOut(out, got);
            String what = (fused ? "fused " : "unfused ") + tile + " " + s;
            if (full) {
                for (int i = 0; i < got.length; i++) {
                    if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expected[i])) {
                        return what + ": element " + i + " is " + got[i] + ", CPU " + expected[i];
                    }
                }
            } else {
                // Too large to recompute on the CPU here: every element must be written (no poison left),
                // and 4096 random ones must match the CPU chain bit for bit.
                int p = s.outHeight();
                int q = s.outWidth();
                for (int i = 0; i < got.length; i++) {
                    if (Float.floatToRawIntBits(got[i]) == POISON) {
                        return what + ": element " + i + " was never written";
                    }
                }
                for (int t = 0; t < 4096; t++) {
                    int i = rnd.nextInt(got.length);
                    int ow = i % q;
                    int oh = i / q % p;
                    int k = i / (p * q) % s.outChannels();
                    int n = i / (p * q * s.outChannels());
                    float e = cpu.element(x, n, k, oh, ow);
                    if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(e)) {
                        return what + ": element " + i + " is " + got[i] + ", CPU " + e;
                    }
                }
            }
        }
        return null;
    }

    /** @return {median, half the interquartile range} of one launch in microseconds */
    private static double[] time(CudaConv gpu, int reps, int inner, Consumer<Integer> launch) {
        gpu.module().makeCurrent();
        CUevent start = new CUevent();
        CUevent stop = new CUevent();
        check(cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        check(cuEventCreate(stop, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        try {
            for (int i = 0; i < 3 * inner; i++) {
                launch.accept(i);
            }
            gpu.synchronize();
            double[] us = new double[reps];
            int counter = 0;
            for (int r = 0; r < reps; r++) {
                check(cuEventRecord(start, null), "cuEventRecord");
                for (int i = 0; i < inner; i++) {
                    launch.accept(counter++);
                }
                check(cuEventRecord(stop, null), "cuEventRecord");
                check(cuEventSynchronize(stop), "cuEventSynchronize");
                float[] ms = {0};
                check(cuEventElapsedTime(ms, start, stop), "cuEventElapsedTime");
                us[r] = ms[0] * 1000.0 / inner;
            }
            gpu.synchronize();
            Arrays.sort(us);
            return new double[] {us[reps / 2], (us[reps * 3 / 4] - us[reps / 4]) / 2};
        } finally {
            cuEventDestroy(start);
            cuEventDestroy(stop);
        }
    }

    /** Wall-clock medians of the CPU path on the batch-1 layers; for machines without a GPU. */
    private static void cpuOnly(int reps) {
        Random rnd = new Random(System.nanoTime());
        System.out.printf(
                Locale.ROOT,
                "CPU path, %d processors, median of %d runs after 2 warm-ups%n",
                Runtime.getRuntime().availableProcessors(),
                reps);
        System.out.println("| layer | N | CPU ms | GFLOP/s |");
        System.out.println("|---|---|---|---|");
        int[][] layers = {{64, 64, 3}, {64, 256, 1}, {256, 64, 1}};
        for (int[] l : layers) {
            Conv2dSpec s = Conv2dSpec.builder()
                    .batch(1)
                    .inChannels(l[0])
                    .height(56)
                    .width(56)
                    .outChannels(l[1])
                    .kernel(l[2], l[2])
                    .padding(l[2] / 2)
                    .build();
            CpuConv cpu = new CpuConv(s, uniform(rnd, s.weightLength()), uniform(rnd, s.outChannels()));
            float[] x = uniform(rnd, s.inputLength());
            float[] y = new float[s.outputLength()];
            double[] ms = new double[reps];
            for (int i = -2; i < reps; i++) {
                long t0 = System.nanoTime();
                cpu.forward(x, y);
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            double median = ms[reps / 2];
            System.out.printf(
                    Locale.ROOT,
                    "| %dx%d %d->%d | 1 | %.1f | %.2f |%n",
                    l[2],
                    l[2],
                    l[0],
                    l[1],
                    median,
                    s.flops() / (median * 1e-3) / 1e9);
        }
    }

    /** @return GB/s of a 1 GiB device-to-device copy, counting bytes read and written */
    private static double copyBandwidth(CudaConv gpu) {
        long floats = 256L << 20;
        CUdeviceptr a = gpu.alloc(floats);
        CUdeviceptr b = gpu.alloc(floats);
        try {
            double[] us = time(gpu, 10, 5, i -> check(cuMemcpyDtoD(b, a, floats * 4), "cuMemcpyDtoD"));
            return 2.0 * floats * 4 / (us[0] * 1e-6) / 1e9;
        } finally {
            gpu.free(a);
            gpu.free(b);
        }
    }

    /** @return {FP32 FLOP/s, DRAM bytes/s} from clock attributes: 128 FP32 lanes per SM (sm_80+), DDR memory */
    private static double[] peaks(CudaProbe.Result probe) {
        CUdevice dev = new CUdevice();
        check(cuDeviceGet(dev, 0), "cuDeviceGet");
        int[] clockKhz = {0};
        int[] memKhz = {0};
        int[] busBits = {0};
        cuDeviceGetAttribute(clockKhz, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE, dev);
        cuDeviceGetAttribute(memKhz, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, dev);
        cuDeviceGetAttribute(busBits, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, dev);
        double flops = probe.multiprocessors() * 128.0 * 2 * clockKhz[0] * 1e3;
        double bytes = 2.0 * memKhz[0] * 1e3 * busBits[0] / 8;
        return new double[] {flops, bytes};
    }

    private static Map<String, double[]> readTorch(String file) throws IOException {
        Map<String, double[]> m = new HashMap<>();
        if (file == null || !Files.exists(Path.of(file))) {
            return m;
        }
        for (String line : Files.readAllLines(Path.of(file))) {
            String[] f = line.split("\t");
            if (f.length >= 3 && !line.startsWith("#")) {
                m.put(f[0], new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
            }
        }
        return m;
    }

    private static float[] uniform(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}

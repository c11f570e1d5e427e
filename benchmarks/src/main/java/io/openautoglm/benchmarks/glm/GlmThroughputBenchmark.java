package io.openautoglm.benchmarks.glm;

import com.sun.management.OperatingSystemMXBean;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.examples.glm.GlmBench;
import io.openautoglm.examples.glm.GlmLocalServer;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.GlmClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the GLM provider against a local GLM-protocol server (a separate process on 127.0.0.1) that answers
 * each call after a fixed latency: {@code records} classification records at {@code inFlight} requests in flight,
 * compared with the ideal {@code records × latency / inFlight}, and the client's CPU per request (this process
 * only; the server's CPU is in the other process).
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks.cp
 * java -cp "benchmarks/target/classes:$(cat /tmp/benchmarks.cp)" io.openautoglm.benchmarks.glm.GlmThroughputBenchmark [records=2000] [inFlight=32] [latencyMs=50] [rounds=3]
 * </pre>
 */
public final class GlmThroughputBenchmark {
    private GlmThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        long latencyMs = args.length > 2 ? Long.parseLong(args[2]) : 50;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        GlmLocalServer.class.getName(),
                        String.valueOf(latencyMs))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException("the local GLM server did not start: " + ready);
            }
            String baseUrl = ready.substring(6);
            System.out.printf(
                    "GLM throughput: %d records, %d in flight, server latency %d ms, %d cores, %s%n",
                    records,
                    inFlight,
                    latencyMs,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.version"));
            double ideal = records * (double) latencyMs / inFlight;
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            try (TaskPipeline pipeline = TaskPipeline.builder()
                    .taskType(TaskType.TEXT_CLASSIFICATION)
                    .model("glm-4-flash")
                    .modelOption("apiKey", GlmBench.KEY)
                    .modelOption("baseUrl", baseUrl)
                    .modelOption("maxInFlight", String.valueOf(inFlight))
                    .promptTemplate("判断以下用户反馈的情感倾向:{text}")
                    .labels(GlmBench.LABELS)
                    .batchSize(1)
                    .concurrency(inFlight)
                    .build()) {
                pipeline.run(GlmBench.reviews(records)); // warm-up round, not reported: JIT, connections
                for (int round = 1; round <= rounds; round++) {
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    PipelineResult r = pipeline.run(GlmBench.reviews(records));
                    double wallMs = (System.nanoTime() - t0) / 1e6;
                    double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
                    System.out.printf(
                            "pipeline round %d: %.0f ms (ideal %.0f ms, %+.1f%%), %.0f records/s, "
                                    + "%d succeeded, %d failed, client CPU %.3f ms/request, calls %d%n",
                            round,
                            wallMs,
                            ideal,
                            (wallMs / ideal - 1) * 100,
                            records / (wallMs / 1000),
                            r.succeeded(),
                            r.failed(),
                            cpuMs / r.usage().calls(),
                            r.usage().calls());
                }
            }
            // The pipeline again, each round with a fresh run journal (every record forced to disk before it counts).
            for (int round = 0; round <= rounds; round++) {
                Path journal = Files.createTempFile("glm-bench-", ".journal");
                Files.delete(journal);
                try (TaskPipeline pipeline = TaskPipeline.builder()
                        .taskType(TaskType.TEXT_CLASSIFICATION)
                        .model("glm-4-flash")
                        .modelOption("apiKey", GlmBench.KEY)
                        .modelOption("baseUrl", baseUrl)
                        .modelOption("maxInFlight", String.valueOf(inFlight))
                        .modelOption("journal", journal.toString())
                        .promptTemplate("判断以下用户反馈的情感倾向:{text}")
                        .labels(GlmBench.LABELS)
                        // A few more records moving than requests in flight, so that a record waiting for its
                        // journal flush does not leave an HTTP slot idle; the limiter still caps requests at inFlight.
                        .batchSize(1)
                        .concurrency(inFlight + inFlight / 4)
                        .build()) {
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    PipelineResult r = pipeline.run(GlmBench.reviews(records));
                    double wallMs = (System.nanoTime() - t0) / 1e6;
                    double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
                    if (round > 0) {
                        System.out.printf(
                                "pipeline+journal round %d: %.0f ms (ideal %.0f ms, %+.1f%%), %d succeeded, "
                                        + "client CPU %.3f ms/request%n",
                                round,
                                wallMs,
                                ideal,
                                (wallMs / ideal - 1) * 100,
                                r.succeeded(),
                                cpuMs / Math.max(1, r.usage().calls()));
                    }
                } finally {
                    Files.deleteIfExists(journal);
                }
            }
            // The client alone, without the pipeline: inFlight threads issuing blocking calls.
            try (GlmClient client = GlmClient.builder()
                    .apiKey(GlmBench.KEY)
                    .baseUrl(baseUrl)
                    .maxInFlightPerModel(inFlight)
                    .build()) {
                ExecutorService pool = Executors.newFixedThreadPool(inFlight);
                for (int round = 0; round <= rounds; round++) {
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    List<Future<?>> fs = new ArrayList<>();
                    int n = records; // round 0 warms up and is not reported
                    for (int i = 0; i < n; i++) {
                        String text = "房间很干净 " + i;
                        fs.add(pool.submit(() -> client.chat(
                                ChatRequest.builder("glm-4-flash").user(text).build())));
                    }
                    for (Future<?> f : fs) {
                        f.get();
                    }
                    double wallMs = (System.nanoTime() - t0) / 1e6;
                    double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
                    if (round > 0) {
                        System.out.printf(
                                "client-only round %d: %.0f ms (ideal %.0f ms, %+.1f%%), client CPU %.3f ms/request%n",
                                round, wallMs, ideal, (wallMs / ideal - 1) * 100, cpuMs / n);
                    }
                }
                pool.shutdownNow();
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}

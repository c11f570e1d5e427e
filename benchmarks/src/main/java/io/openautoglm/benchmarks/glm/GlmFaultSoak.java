package io.openautoglm.benchmarks.glm;

import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.ResultSink;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.examples.glm.GlmBench;
import io.openautoglm.glm.testing.GlmTestServer;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fault soak: a classification run through a local GLM-protocol server (127.0.0.1, in this process) that answers
 * 20% of calls with a fault (429/1302, 429/1305, 500, connection reset, a stall, a stream cut before
 * {@code [DONE]}, a mid-stream {@code network_error}, a stream that goes silent). The run, with a journal, is
 * started in a child process and killed with SIGKILL part-way; then it is resumed here with the same journal.
 * Checks: every record ends as a result or a failure with its reason, none lost, none duplicated, and no record
 * that reached the journal is paid for again.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat /tmp/benchmarks.cp)" io.openautoglm.benchmarks.glm.GlmFaultSoak [records=1000] [inFlight=16] [faultRate=0.2] [maxAttempts=6]
 * </pre>
 */
public final class GlmFaultSoak {
    private static final Pattern ORDER = Pattern.compile("订单 (\\d+) 号");

    private GlmFaultSoak() {}

    static TaskPipeline.Builder pipeline(String baseUrl, Path journal, int inFlight, int maxAttempts) {
        return TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("glm-4-flash")
                .modelOption("apiKey", GlmBench.KEY)
                .modelOption("baseUrl", baseUrl)
                .modelOption("journal", journal.toString())
                .modelOption("stream", "true")
                .modelOption("maxInFlight", String.valueOf(inFlight))
                .modelOption("maxAttempts", String.valueOf(maxAttempts))
                .modelOption("readTimeoutMs", "1000")
                .modelOption("streamIdleTimeoutMs", "1000")
                .promptTemplate("判断以下用户反馈的情感倾向:{text}")
                .labels(GlmBench.LABELS)
                .batchSize(4)
                .concurrency(Math.max(1, inFlight / 4));
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            try (TaskPipeline p = pipeline(
                            args[1], Path.of(args[2]), Integer.parseInt(args[4]), Integer.parseInt(args[5]))
                    .build()) {
                p.run(GlmBench.reviews(Integer.parseInt(args[3])), r -> {});
            }
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        double faultRate = args.length > 2 ? Double.parseDouble(args[2]) : 0.2;
        int maxAttempts = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        Path journal = Files.createTempFile("glm-soak-", ".journal");
        Files.delete(journal);
        long start = System.nanoTime();
        try (GlmTestServer server = GlmTestServer.builder()
                .latency(Duration.ofMillis(20))
                .answerer(GlmBench::answer)
                .stallTime(Duration.ofSeconds(3))
                .seed(7)
                .faultRate(
                        faultRate,
                        Fault.RATE_LIMIT_1302,
                        Fault.OVERLOADED_1305,
                        Fault.SERVER_500,
                        Fault.RESET,
                        Fault.STALL,
                        Fault.STREAM_CUT,
                        Fault.STREAM_NETWORK_ERROR,
                        Fault.STREAM_STALL)
                .build()
                .start()) {
            System.out.printf(
                    "GLM fault soak: %d records, %d in flight, %.0f%% faults, %d attempts per call, journal %s%n",
                    n, inFlight, faultRate * 100, maxAttempts, journal);

            // Phase 1: a child process runs with the journal and is killed with SIGKILL part-way.
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                            GlmFaultSoak.class.getName(),
                            "--child",
                            server.baseUrl(),
                            journal.toString(),
                            String.valueOf(n),
                            String.valueOf(inFlight),
                            String.valueOf(maxAttempts))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (lines(journal).size() < n * 2 / 5 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            List<String> journaled = lines(journal);
            Set<String> journaledIds = new HashSet<>();
            for (String l : journaled) {
                int i = l.indexOf("\"id\":\"");
                if (l.endsWith("}") && i >= 0) {
                    journaledIds.add(l.substring(i + 6, l.indexOf('"', i + 6)));
                }
            }
            Map<Integer, Integer> answersAtKill = byOrder(server.answersByPrompt());
            long requestsAtKill = server.requestCount();
            System.out.printf(
                    "phase 1 (killed with SIGKILL): %d requests, %d answers, %d records journaled%n",
                    requestsAtKill, server.answered(), journaledIds.size());

            // Phase 2: resume in this process with the same journal.
            List<RecordResult> results = new ArrayList<>();
            PipelineResult r;
            try (TaskPipeline p =
                    pipeline(server.baseUrl(), journal, inFlight, maxAttempts).build()) {
                r = p.run(GlmBench.reviews(n), (ResultSink) results::add);
            }
            Set<String> ids = new HashSet<>();
            int duplicates = 0;
            Map<String, Integer> reasons = new TreeMap<>();
            for (RecordResult x : results) {
                if (!ids.add(x.id())) {
                    duplicates++;
                }
                if (!x.succeeded()) {
                    reasons.merge(x.failure().message().replaceAll("\\[.*", "").strip(), 1, Integer::sum);
                }
            }
            Map<Integer, Integer> answers = byOrder(server.answersByPrompt());
            int journaledPaidAgain = 0;
            int paidTwice = 0;
            for (Map.Entry<Integer, Integer> e : answers.entrySet()) {
                if (e.getValue() > 1) {
                    paidTwice++;
                }
                if (journaledIds.contains("r" + e.getKey())
                        && e.getValue() > answersAtKill.getOrDefault(e.getKey(), 0)) {
                    journaledPaidAgain++;
                }
            }
            System.out.printf(
                    "phase 2 (resume): %d results for %d records (%d succeeded, %d failed), %d distinct ids, "
                            + "%d duplicates, %d lost; %d requests, %d billed calls%n",
                    results.size(),
                    n,
                    r.succeeded(),
                    r.failed(),
                    ids.size(),
                    duplicates,
                    n - ids.size(),
                    server.requestCount() - requestsAtKill,
                    r.usage().calls());
            System.out.printf("failures by kind: %s%n", r.failuresByKind().isEmpty() ? "none" : r.failuresByKind());
            System.out.printf("failures by reason: %s%n", reasons.isEmpty() ? "none" : reasons);
            System.out.printf(
                    "paid twice: %d journaled records answered again after the resume (must be 0); "
                            + "%d records answered twice overall (in flight at the kill, answered but not journaled)%n",
                    journaledPaidAgain, paidTwice);

            // Phase 3: the same journal again: only records that failed in phase 2 are sent.
            long before = server.requestCount();
            try (TaskPipeline p =
                    pipeline(server.baseUrl(), journal, inFlight, maxAttempts).build()) {
                p.run(GlmBench.reviews(n), x -> {});
            }
            System.out.printf(
                    "phase 3 (rerun with the complete journal): %d requests (phase 2 left %d failed)%n",
                    server.requestCount() - before, r.failed());
            System.out.printf(
                    "faults injected: %s; total %d requests, %d answers; %.1f s%n",
                    server.faultCounts(), server.requestCount(), server.answered(), (System.nanoTime() - start) / 1e9);
            boolean ok = results.size() == n && ids.size() == n && duplicates == 0 && journaledPaidAgain == 0;
            System.out.println(ok ? "SOAK OK" : "SOAK FAILED");
            if (!ok) {
                System.exit(1);
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }

    private static Map<Integer, Integer> byOrder(Map<String, Integer> byPrompt) {
        Map<Integer, Integer> m = new HashMap<>();
        byPrompt.forEach((prompt, count) -> {
            Matcher x = ORDER.matcher(prompt);
            if (x.find()) {
                m.merge(Integer.parseInt(x.group(1)), count, Integer::sum);
            }
        });
        return m;
    }

    private static List<String> lines(Path f) {
        try {
            return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }
}

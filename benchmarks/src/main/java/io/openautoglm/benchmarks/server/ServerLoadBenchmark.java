package io.openautoglm.benchmarks.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.benchmarks.local.LocalBenchData;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TextRecord;
import io.openautoglm.glm.testing.GlmTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server under a real HTTP load generator (Debian's {@code wrk}, {@code apt-get install wrk}) against the running
 * jar, beside the same pipeline called in-process. Three parts, each printed as it runs:
 *
 * <ol>
 *   <li><b>Throughput and latency</b> at 1, 8 and 32 concurrent clients, one ChnSentiCorp test text per request on
 *       the local int8 model, alternating in-process and HTTP in each round. The server queues rather than sheds here
 *       ({@code bulkhead.max-queued=64}), so that every request is answered and the latency shows the queue.
 *   <li><b>Overload</b>: the server restarted with a shedding bulkhead sized to the machine (as many predictions at
 *       once as cores, as many waiting); an unloaded minute-fraction at one client gives the reference p99; then an
 *       open schedule at twice the sustainable rate (the best HTTP throughput of part 1) for the overload seconds,
 *       the server's resident memory sampled every five seconds; then one client again at once (recovery).
 *   <li><b>Circuit breaker</b>: a pipeline on the GLM test server (in this process) whose endpoint starts failing
 *       under three clients: when the circuit opens (the full health turns DOWN), how fast the 503s are, whether
 *       readiness stays UP (it should: the instance still serves its other pipelines), the server's live threads,
 *       and how long until all is well after the endpoint recovers.
 * </ol>
 *
 * <pre>
 * mvn -B -q -pl autoglm-server -am package -DskipTests
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
 * java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.server.ServerLoadBenchmark autoglm-server/target/autoglm-server.jar 15 60 2
 * </pre>
 *
 * Arguments: the server jar, seconds per step (15), overload seconds (60), rounds of part 1 (2).
 */
public final class ServerLoadBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String GLM_KEY = "load-bench.NOTAREALKEY0123456789";
    private static final int[] CLIENTS = {1, 8, 32};
    private static final int WARM_UP_SECONDS = 60;

    /** The warm-up's requests: short texts, so that the Java code on the way is compiled before measuring. */
    private record Warm(Path bodies, List<String> texts) {}

    /** What every part starts its server from, and sends. */
    private record Setup(
            Path jar, Path work, String secret, Path localSpec, Path glmSpec, Path bodies, Warm warmUp, Path lua) {
        Server start(String maxConcurrent, String maxQueued, String maxWait) throws Exception {
            return Server.start(jar, work, secret, localSpec, glmSpec, maxConcurrent, maxQueued, maxWait);
        }

        @Override
        public String toString() {
            return "Setup[" + jar + "]"; // never the secret
        }
    }

    private ServerLoadBenchmark() {}

    /** One measurement: requests/s, latency percentiles in ms of the accepted requests, and what was not accepted. */
    record Stats(double perSecond, double p50, double p99, long accepted, long refused, String detail) {
        @Override
        public String toString() {
            return String.format(
                    "%8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  accepted %6d  refused %6d  %s",
                    perSecond, p50, p99, accepted, refused, detail);
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "autoglm-server/target/autoglm-server.jar");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int overloadSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " not found; build it: mvn -B -q -pl autoglm-server -am package");
        }
        List<String> texts = LocalBenchData.chnSentiCorp("test").toList().stream()
                .map(TextRecord::text)
                .toList();
        System.out.println("ServerLoadBenchmark: " + texts.size() + " ChnSentiCorp test texts, one per request; "
                + seconds + " s per step, " + overloadSeconds + " s of overload, " + rounds + " rounds; "
                + LocalBenchData.machine());

        Path work = Files.createTempDirectory("autoglm-load");
        Path bodies = work.resolve("bodies.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            lines.add(JSON.writeValueAsString(Map.of("records", List.of(Map.of("id", "r" + i, "text", texts.get(i))))));
        }
        Files.write(bodies, lines, StandardCharsets.UTF_8);
        // warm-up bodies: the first few characters of each text. At the real texts' 30 requests/s the web stack's
        // methods take minutes to reach C2 (measured: its compiler still took a quarter of a core after 3,000
        // requests, and the predictions ran slower beside it); short texts run the same Java code 20 times as often
        Path warmBodies = work.resolve("warm-up.txt");
        List<String> warm = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            warm.add(JSON.writeValueAsString(Map.of(
                    "records", List.of(Map.of("id", "w" + i, "text", t.substring(0, Math.min(6, t.length())))))));
        }
        Files.write(warmBodies, warm, StandardCharsets.UTF_8);
        List<String> warmTexts =
                texts.stream().map(t -> t.substring(0, Math.min(6, t.length()))).toList();
        Path lua = work.resolve("predict.lua");
        try (InputStream in = ServerLoadBenchmark.class.getResourceAsStream("predict.lua")) {
            Files.write(lua, in.readAllBytes());
        }
        // the quick start's pipeline, without the embedding cache: the texts repeat over a run
        Path localSpec = Files.writeString(work.resolve("local.json"), """
                {"version": 1,
                 "task": {"type": "TEXT_CLASSIFICATION", "template": "判断以下用户反馈的情感倾向:{text}",
                          "labels": ["正面", "负面", "中性"]},
                 "model": {"name": "local:bge-small-zh", "options": {"cacheSize": "0"}}}
                """);
        AtomicBoolean failing = new AtomicBoolean();
        try (GlmTestServer glm = GlmTestServer.builder()
                .apiKey(GLM_KEY)
                .latency(Duration.ofMillis(20))
                .faultRule(call -> failing.get() ? GlmTestServer.Fault.SERVER_500 : null)
                .answerer(call -> call.lastUserMessage().contains("好") ? "正面" : "负面")
                .build()
                .start()) {
            Path glmSpec = Files.writeString(work.resolve("glm.json"), """
                    {"version": 1,
                     "task": {"type": "TEXT_CLASSIFICATION", "template": "判断以下用户反馈的情感倾向:{text}",
                              "labels": ["正面", "负面"]},
                     "model": {"name": "glm-4-flash", "options": {"baseUrl": "%s", "maxAttempts": "1"}},
                     "run": {"batchSize": 1}}
                    """.formatted(glm.baseUrl()));
            byte[] random = new byte[48];
            new java.security.SecureRandom().nextBytes(random);
            String secret = java.util.Base64.getEncoder().encodeToString(random);

            Warm warmUp = new Warm(warmBodies, warmTexts);
            Setup setup = new Setup(jar, work, secret, localSpec, glmSpec, bodies, warmUp, lua);
            double sustainable = throughput(setup, texts, seconds, rounds);
            overloadAndBreaker(setup, seconds, overloadSeconds, sustainable, failing);
        }
        System.out.printf("done; load average %.2f%n", load());
    }

    // ---- part 1 ----

    private static double throughput(Setup setup, List<String> texts, int seconds, int rounds) throws Exception {
        Path bodies = setup.bodies();
        Path lua = setup.lua();
        Warm warmUp = setup.warmUp();
        System.out.println("\n== part 1: throughput and latency, in-process against HTTP (server queues: "
                + "bulkhead.max-concurrent=2, max-queued=64) ==");
        double bestHttp = 0;
        Map<String, List<Stats>> all = new LinkedHashMap<>();
        try (Server server = setup.start("2", "64", "30s");
                TaskPipeline inProcess = TaskPipeline.builder()
                        .spec(PipelineSpec.read(setup.localSpec()))
                        .errorMode(ErrorMode.COLLECT)
                        .build()) {
            String url = server.url("/api/v1/pipelines/local/predict");
            // warm-up, both sides: the server's web stack needs thousands of requests before C2 has compiled it
            // (measured: after 1,000 requests its compiler threads still took 17% of a core, and the web threads
            // twice the CPU per request they take once compiled)
            inProcess(inProcess, warmUp.texts(), 8, 20); // its Java code is a small part of a call
            wrk(url, server.token, warmUp.bodies(), lua, 8, WARM_UP_SECONDS, 0);
            for (int round = 1; round <= rounds; round++) {
                for (int clients : CLIENTS) {
                    System.out.printf("round %d, %d clients, load %.2f%n", round, clients, load());
                    Stats in = inProcess(inProcess, texts, clients, seconds);
                    System.out.println("  in-process  " + in);
                    Stats http = wrk(url, server.token, bodies, lua, clients, seconds, 0);
                    System.out.println("  HTTP (wrk)  " + http);
                    all.computeIfAbsent("in-process " + clients, k -> new ArrayList<>())
                            .add(in);
                    all.computeIfAbsent("HTTP " + clients, k -> new ArrayList<>())
                            .add(http);
                    bestHttp = Math.max(bestHttp, http.perSecond());
                }
            }
        }
        System.out.println("\nsummary (best of the rounds):");
        for (int clients : CLIENTS) {
            Stats in = best(all.get("in-process " + clients));
            Stats http = best(all.get("HTTP " + clients));
            System.out.printf(
                    "  %2d clients: in-process %.1f req/s (p50 %.2f, p99 %.2f ms), HTTP %.1f req/s (p50 %.2f, p99"
                            + " %.2f ms): HTTP/in-process %.3f%n",
                    clients,
                    in.perSecond(),
                    in.p50(),
                    in.p99(),
                    http.perSecond(),
                    http.p50(),
                    http.p99(),
                    http.perSecond() / in.perSecond());
        }
        return bestHttp;
    }

    private static Stats best(List<Stats> runs) {
        return runs.stream()
                .max((a, b) -> Double.compare(a.perSecond(), b.perSecond()))
                .orElseThrow();
    }

    /** {@code clients} threads, each calling the pipeline with one record at a time for {@code seconds}. */
    private static Stats inProcess(TaskPipeline pipeline, List<String> texts, int clients, int seconds)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<double[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            double[][] mine = {new double[1024]};
            int[] count = {0};
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    int i = next.getAndIncrement() % texts.size();
                    long t0 = System.nanoTime();
                    PipelineResult r = pipeline.run(Dataset.of("bench", List.of(TextRecord.of(texts.get(i)))));
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (r.failed() > 0) {
                        failed.incrementAndGet();
                    }
                    if (count[0] == mine[0].length) {
                        mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
                    }
                    mine[0][count[0]++] = ms;
                }
                synchronized (perThread) {
                    perThread.add(Arrays.copyOf(mine[0], count[0]));
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double[] all =
                perThread.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        return new Stats(
                all.length / wall,
                percentile(all, 0.50),
                percentile(all, 0.99),
                all.length,
                failed.get(),
                failed.get() == 0 ? "" : "records failed: " + failed.get());
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    // ---- parts 2 and 3 ----

    private static void overloadAndBreaker(
            Setup setup, int seconds, int overloadSeconds, double sustainable, AtomicBoolean failing) throws Exception {
        System.out.println("\n== part 2: overload (server sheds: bulkhead.max-concurrent=2, max-queued=2) ==");
        Path bodies = setup.bodies();
        Path lua = setup.lua();
        try (Server server = setup.start("2", "2", "1s")) {
            String url = server.url("/api/v1/pipelines/local/predict");
            // warm-up as in part 1, with as many clients as the bulkhead takes (more would only be shed)
            wrk(url, server.token, setup.warmUp().bodies(), lua, 4, WARM_UP_SECONDS, 0);
            System.out.printf("unloaded, 1 client, load %.2f%n", load());
            Stats unloaded = wrk(url, server.token, bodies, lua, 1, seconds, 0);
            System.out.println("  " + unloaded);
            double rate = 2 * sustainable;
            int connections = 64;
            System.out.printf(
                    "overload: open schedule at %.0f req/s (twice the best HTTP throughput, %.1f) for %d s over %d"
                            + " connections, load %.2f%n",
                    rate, sustainable, overloadSeconds, connections, load());
            List<Long> rss = new ArrayList<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    rss.add(server.residentKib());
                    sleep(5000);
                }
            });
            sampler.start();
            Stats over = wrk(url, server.token, bodies, lua, connections, overloadSeconds, rate);
            sampling.set(false);
            sampler.join();
            Stats after = wrk(url, server.token, bodies, lua, 1, seconds, 0);
            System.out.println("  overload  " + over);
            System.out.printf(
                    "  accepted p99 under overload / unloaded p99: %.2f (target at most 3)%n",
                    over.p99() / unloaded.p99());
            System.out.println("  server resident memory every 5 s (MiB): "
                    + rss.stream().map(k -> String.valueOf(k / 1024)).toList());
            System.out.println("  recovery, 1 client at once after: " + after);
            System.out.printf("  recovery p50 / unloaded p50: %.2f%n", after.p50() / unloaded.p50());

            breaker(server, bodies, lua, failing);
        }
    }

    private static void breaker(Server server, Path bodies, Path lua, AtomicBoolean failing) throws Exception {
        System.out.println("\n== part 3: circuit breaker on a failing GLM endpoint (GLM test server, 20 ms per call;"
                + " circuit: 50% of the last 20 calls, at least 10, open 5 s) ==");
        String url = server.url("/api/v1/pipelines/glm/predict");
        System.out.println("  healthy, 3 clients:  " + wrk(url, server.token, bodies, lua, 3, 5, 0));
        int threadsBefore = server.liveThreads();
        long t0 = System.nanoTime();
        double[] events = new double[4]; // health down, first 503, health up, first result after recovery
        int[] readinessPolls = new int[2]; // polls, and those that found readiness anything but 200
        Arrays.fill(events, -1);
        AtomicBoolean watching = new AtomicBoolean(true);
        int[] maxThreads = {threadsBefore};
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                double now = (System.nanoTime() - t0) / 1e9;
                int health = server.status("/actuator/health");
                readinessPolls[0]++;
                readinessPolls[1] += server.status("/actuator/health/readiness") == 200 ? 0 : 1;
                int predict = server.predictStatus(url);
                boolean recovered = !failing.get() && now > 0.5;
                if (health == 503 && events[0] < 0) {
                    events[0] = now;
                }
                if (predict == 503 && events[1] < 0) {
                    events[1] = now;
                }
                if (recovered && events[0] >= 0 && health == 200 && events[2] < 0) {
                    events[2] = now;
                }
                if (recovered && events[1] >= 0 && predict == 200 && events[3] < 0) {
                    events[3] = now;
                }
                maxThreads[0] = Math.max(maxThreads[0], server.liveThreads());
                sleep(100);
            }
        });
        failing.set(true);
        watcher.start();
        // three clients and the watcher's probe: within the bulkhead (2 running, 2 waiting), so every 503 is the
        // circuit's
        System.out.println("  t=0: the endpoint fails every call (HTTP 500); 3 clients for 10 s");
        Stats down = wrk(url, server.token, bodies, lua, 3, 10, 0);
        System.out.println("  failing:  " + down);
        double healed = (System.nanoTime() - t0) / 1e9;
        failing.set(false);
        System.out.printf("  t=%.1f s: the endpoint answers again; 3 clients for 10 s%n", healed);
        Stats up = wrk(url, server.token, bodies, lua, 3, 10, 0);
        watching.set(false);
        watcher.join();
        System.out.println("  recovering:  " + up);
        System.out.printf(
                "  health DOWN at t=%.1f s, first 503 at t=%.1f s; health UP again at t=%.1f s and the first"
                        + " prediction at t=%.1f s (%.1f s and %.1f s after the endpoint recovered)%n",
                events[0], events[1], events[2], events[3], events[2] - healed, events[3] - healed);
        System.out.printf(
                "  readiness: not UP in %d of %d polls (the instance stays in rotation for its other pipelines)%n",
                readinessPolls[1], readinessPolls[0]);
        System.out.printf(
                "  server live threads: %d before, at most %d while failing and recovering, %d after%n",
                threadsBefore, maxThreads[0], server.liveThreads());
    }

    // ---- wrk ----

    /** Runs wrk with {@code clients} connections (one per thread) for {@code seconds}; rate 0 is a closed loop. */
    private static Stats wrk(String url, String token, Path bodies, Path lua, int clients, int seconds, double rate)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                "wrk",
                "-t" + clients,
                "-c" + clients,
                "-d" + seconds + "s",
                "--timeout",
                "30s",
                "-s",
                lua.toString(),
                url,
                "--",
                bodies.toString(),
                String.valueOf(rate),
                String.valueOf(clients));
        pb.environment().put("AUTOGLM_BENCH_TOKEN", token); // not on the command line, where others could read it
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String line = out.lines()
                .filter(l -> l.startsWith("WRK "))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no result:\n" + out));
        JsonNode r = JSON.readTree(line.substring(4));
        long accepted = r.get("accepted").asLong();
        long requests = r.get("requests").asLong();
        long refused = r.at("/statuses/429").asLong() + r.at("/statuses/503").asLong();
        long errors = r.get("connectErrors").asLong()
                + r.get("readErrors").asLong()
                + r.get("writeErrors").asLong()
                + r.get("timeouts").asLong();
        long recordFailures = r.get("recordFailures").asLong();
        String detail = "statuses " + r.get("statuses") + " codes " + r.get("codes")
                + (recordFailures > 0 ? " (" + recordFailures + " of the 200s a record's failure)" : "")
                + (refused > 0
                        ? String.format(
                                " refused p50 %.2f ms p99 %.2f ms",
                                r.get("refusedP50").asDouble(),
                                r.get("refusedP99").asDouble())
                        : "")
                + (errors > 0 ? " socket errors " + errors : "")
                + String.format(
                        " offered %.1f req/s", requests / r.get("seconds").asDouble());
        return new Stats(
                accepted / r.get("seconds").asDouble(),
                r.get("p50").asDouble(),
                r.get("p99").asDouble(),
                accepted,
                refused,
                detail);
    }

    // ---- the server process ----

    /** The jar started as a user would, on a free port, with a token minted by its own {@code token} command. */
    private static final class Server implements AutoCloseable {
        private final Process process;
        private final int port;
        final String token;

        private Server(Process process, int port, String token) {
            this.process = process;
            this.port = port;
            this.token = token;
        }

        static Server start(
                Path jar,
                Path work,
                String secret,
                Path localSpec,
                Path glmSpec,
                String maxConcurrent,
                String maxQueued,
                String maxWait)
                throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(
                    java,
                    "-Xmx1g",
                    "-jar",
                    jar.toString(),
                    "--server.port=" + port,
                    "--server.address=127.0.0.1",
                    "--autoglm.pipelines.local=" + localSpec,
                    "--autoglm.pipelines.glm=" + glmSpec,
                    "--autoglm.server.jobs-dir=" + work.resolve("jobs"),
                    "--autoglm.server.pipelines-dir=" + work.resolve("pipelines"),
                    // one subject sends everything here: its bucket must not be what limits the run
                    "--autoglm.server.rate-limit.per-second=1000000",
                    "--autoglm.server.rate-limit.burst=1000000",
                    "--autoglm.server.bulkhead.max-concurrent=" + maxConcurrent,
                    "--autoglm.server.bulkhead.max-queued=" + maxQueued,
                    "--autoglm.server.bulkhead.max-wait=" + maxWait,
                    "--autoglm.circuit-breaker.wait-duration-in-open-state=5s");
            pb.environment().put("AUTOGLM_SERVER_JWT_HS256_SECRET", secret);
            pb.environment().put("AUTOGLM_GLM_API_KEY", GLM_KEY);
            pb.redirectErrorStream(true)
                    .redirectOutput(work.resolve("server-" + port + ".log").toFile());
            Process process = pb.start();
            String token;
            try {
                ProcessBuilder mint =
                        new ProcessBuilder(java, "-jar", jar.toString(), "token", "--sub", "load", "--ttl", "2h");
                mint.environment().put("AUTOGLM_SERVER_JWT_HS256_SECRET", secret);
                Process m = mint.redirectErrorStream(true).start();
                token = new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (m.waitFor() != 0) {
                    throw new IllegalStateException("token: " + token);
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
            Server server = new Server(process, port, token);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (server.status("/actuator/health/readiness") != 200) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException("the server did not become ready; see " + work);
                }
                sleep(250);
            }
            System.out.printf("server ready on port %d (pid %d)%n", port, process.pid());
            return server;
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        int status(String path) {
            try {
                return HTTP.send(
                                HttpRequest.newBuilder(URI.create(url(path)))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        int predictStatus(String url) {
            try {
                return HTTP.send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(5))
                                        .header("Authorization", "Bearer " + token)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"records\":[{\"id\":\"probe\",\"text\":\"服务很好\"}]}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        /** {@code jvm_threads_live_threads} from the server's Prometheus output. */
        int liveThreads() {
            try {
                String body = HTTP.send(
                                HttpRequest.newBuilder(URI.create(url("/actuator/prometheus")))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                return body.lines()
                        .filter(l -> l.startsWith("jvm_threads_live_threads"))
                        .mapToInt(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .findFirst()
                        .orElse(-1);
            } catch (IOException e) {
                return -1; // a missed scrape must not end the watcher that calls this
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        long residentKib() {
            try {
                return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:"))
                        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                        .findFirst()
                        .orElse(-1);
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            process.destroy(); // SIGTERM: the graceful shutdown
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

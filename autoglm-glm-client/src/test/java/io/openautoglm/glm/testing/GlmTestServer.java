package io.openautoglm.glm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A local GLM-protocol server for tests and benchmarks, on 127.0.0.1 only. It answers
 * {@code POST <base>chat/completions} (JSON, or SSE when {@code stream} is true) and {@code POST <base>embeddings},
 * checks the API key or the JWT made from it, and injects faults: scripted ones ({@link #enqueueFault}) take
 * precedence over random ones ({@link Builder#faultRate}). It counts what it did, so a test can assert that
 * nothing was lost or paid twice: {@link #answered()} counts complete answers (what GLM would bill), per prompt
 * in {@link #answersByPrompt()}.
 *
 * <pre>{@code
 * try (GlmTestServer server = GlmTestServer.builder().apiKey("id.secretsecret").build().start();
 *      GlmClient client = GlmClient.builder().apiKey("id.secretsecret").baseUrl(server.baseUrl()).build()) {
 *     server.enqueueFault(GlmTestServer.Fault.RATE_LIMIT_1302);
 *     client.chat(ChatRequest.builder("glm-4-flash").user("hi").build());   // retried, then answered
 * }
 * }</pre>
 *
 * <p>Thread-safe: it serves each connection on its own thread.
 */
public final class GlmTestServer implements AutoCloseable {
    // MockWebServer reports closed idle connections at WARNING through java.util.logging; held so it stays quiet.
    private static final java.util.logging.Logger MWS_LOG = quiet();

    /** The faults it can inject. */
    public enum Fault {
        /** 429, code 1302: account concurrency limit. */
        RATE_LIMIT_1302,
        /** 429, code 1303: request frequency too high. */
        RATE_LIMIT_1303,
        /** 429, code 1302 with {@code Retry-After: 1}. */
        RATE_LIMIT_RETRY_AFTER,
        /** 429, code 1305: model overloaded. */
        OVERLOADED_1305,
        /** 503, code 1305. */
        OVERLOADED_503,
        /** 429, code 1312: model busy. */
        MODEL_BUSY_1312,
        /** 429, code 1113: no balance. */
        NO_BALANCE_1113,
        /** 400, code 1261: prompt too long. */
        PROMPT_TOO_LONG_1261,
        /** 400, code 1301: content filter. */
        CONTENT_FILTER_1301,
        /** 400, code 1214: invalid parameter. */
        INVALID_PARAMETER_1214,
        /** 401, code 1003: token expired. */
        TOKEN_EXPIRED_1003,
        /** 401, code 1000: authentication failed. */
        AUTH_FAILED_1000,
        /** 500 with a JSON body and no business code. */
        SERVER_500,
        /** 500 with an HTML body. */
        SERVER_500_NON_JSON,
        /** The connection closes after the request is read: no answer at all. */
        RESET,
        /** The request is read and never answered: the client's read timeout must end it. */
        STALL,
        /** The answer comes after {@link Builder#slowFirstByte} but is otherwise normal. */
        SLOW_FIRST_BYTE,
        /** A stream that ends after its first chunk, without finish_reason or {@code [DONE]}. */
        STREAM_CUT,
        /** A stream whose last chunk says {@code finish_reason: network_error}. */
        STREAM_NETWORK_ERROR,
        /** A stream that sends its first chunk and then nothing for {@link Builder#stallTime}. */
        STREAM_STALL,
        /** A non-streamed answer with {@code finish_reason: sensitive} and no content. */
        SENSITIVE
    }

    /** What the server saw of one chat call, for the answer function. */
    public record ChatCall(String model, List<String> roles, List<String> contents, boolean stream, JsonNode body) {
        /** The last user turn. */
        public String lastUserMessage() {
            for (int i = roles.size() - 1; i >= 0; i--) {
                if (roles.get(i).equals("user")) {
                    return contents.get(i);
                }
            }
            return "";
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final String basePath;
    private final String apiKey;
    private final Duration latency;
    private final Duration slowFirstByte;
    private final Function<ChatCall, String> answerer;
    private final int maxConcurrentPerModel;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, AtomicInteger> answersByPrompt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger maxInFlightSeen = new AtomicInteger();
    private final Replies replies;
    private final FaultPlan faults;

    private GlmTestServer(Builder b) {
        this.basePath = b.basePath;
        this.apiKey = b.apiKey;
        this.latency = b.latency;
        this.slowFirstByte = b.slowFirstByte;
        this.answerer = b.answerer;
        this.maxConcurrentPerModel = b.maxConcurrentPerModel;
        this.faults = new FaultPlan(b.faultRule, b.faultRate, b.faultMix, b.seed);
        this.replies = new Replies(b.answerer, b.stallTime);
        // Without TCP_NODELAY the body waits behind the headers for the client's delayed ACK: ~40 ms per answer.
        server.setServerSocketFactory(new NoDelayServerSocketFactory());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return GlmTestServer.this.dispatch(request);
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening on 127.0.0.1, on a free port. */
    public GlmTestServer start() {
        return start(0);
    }

    /** Starts listening on 127.0.0.1:{@code port} (0 for a free one). */
    public GlmTestServer start(int port) {
        try {
            server.start(InetAddress.getByName("127.0.0.1"), port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the GLM test server on 127.0.0.1:" + port, e);
        }
        return this;
    }

    /** The base URL to give the client, e.g. {@code http://127.0.0.1:54321/api/paas/v4/}. */
    public String baseUrl() {
        return server.url(basePath).toString();
    }

    public int port() {
        return server.getPort();
    }

    /** The next requests get these faults, in order, before any random ones. */
    public void enqueueFault(Fault... next) {
        faults.enqueue(next);
    }

    /** The next recorded request, waiting up to a second; {@code null} when none came. */
    public RecordedRequest takeRequest() {
        try {
            return server.takeRequest(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** HTTP requests received, of any kind. */
    public long requestCount() {
        return requests.get();
    }

    /** Complete answers given: the calls GLM would have billed. */
    public long answered() {
        return answered.get();
    }

    /** Complete answers per prompt (the last user message): more than one means a prompt was paid twice. */
    public Map<String, Integer> answersByPrompt() {
        Map<String, Integer> m = new java.util.HashMap<>();
        answersByPrompt.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Faults injected so far, by kind. */
    public Map<Fault, Long> faultCounts() {
        return faults.counts();
    }

    /** The most chat calls it held at once for any model. */
    public int maxInFlightSeen() {
        return maxInFlightSeen.get();
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private MockResponse dispatch(RecordedRequest request) {
        requests.incrementAndGet();
        String path = request.getPath() == null ? "" : request.getPath();
        if (!path.startsWith(basePath)) {
            return Replies.error(404, null, "no route " + path + "; the base path is " + basePath);
        }
        String route = path.substring(basePath.length());
        if (!"POST".equals(request.getMethod())) {
            return Replies.error(405, null, "method " + request.getMethod() + " not allowed");
        }
        MockResponse authFailure = Credentials.check(apiKey, request.getHeader("Authorization"));
        if (authFailure != null) {
            return authFailure;
        }
        JsonNode body;
        try {
            body = Replies.JSON.readTree(request.getBody().clone().readUtf8());
        } catch (IOException e) {
            return Replies.error(400, "1214", "body is not JSON");
        }
        if (route.equals("chat/completions")) {
            return chat(body);
        }
        if (route.equals("embeddings")) {
            return embeddings(body);
        }
        return Replies.error(404, null, "no route " + path);
    }

    private MockResponse chat(JsonNode body) {
        ChatCall call;
        try {
            call = Requests.chat(body);
        } catch (Requests.Refused r) {
            return r.reply;
        }
        String model = call.model();
        AtomicInteger counter = inFlight.computeIfAbsent(model, k -> new AtomicInteger());
        int now = counter.incrementAndGet();
        try {
            maxInFlightSeen.accumulateAndGet(now, Math::max);
            if (maxConcurrentPerModel > 0 && now > maxConcurrentPerModel) {
                return Replies.error(429, "1302", "High concurrency usage of this API, please reduce concurrency");
            }
            Fault fault = faults.forChat(call);
            if (fault != null) {
                MockResponse f = replies.fault(fault, call, this::answered);
                if (f != null) {
                    return f;
                }
            }
            sleep(latency);
            String content = answerer.apply(call);
            if (fault == Fault.SLOW_FIRST_BYTE) {
                answered(call);
                return replies.answer(call, content, "stop")
                        .setHeadersDelay(slowFirstByte.toMillis(), TimeUnit.MILLISECONDS);
            }
            answered(call);
            return replies.answer(call, content, "stop");
        } finally {
            counter.decrementAndGet();
        }
    }

    private void answered(ChatCall call) {
        answered.incrementAndGet();
        answersByPrompt
                .computeIfAbsent(call.lastUserMessage(), k -> new AtomicInteger())
                .incrementAndGet();
    }

    private MockResponse embeddings(JsonNode body) {
        Requests.Embeddings e;
        try {
            e = Requests.embeddings(body);
        } catch (Requests.Refused r) {
            return r.reply;
        }
        Fault fault = faults.next();
        if (fault != null) {
            MockResponse f = replies.fault(
                    fault, new ChatCall(e.model(), List.of("user"), List.of(""), false, body), this::answered);
            if (f != null) {
                return f;
            }
        }
        sleep(latency);
        answered.incrementAndGet();
        return replies.embeddings(e.model(), e.texts(), e.dims());
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(MockWebServer.class.getName());
        l.setLevel(java.util.logging.Level.SEVERE);
        return l;
    }

    /** Hashes a prompt the way {@link #answersByPrompt()} could be keyed by callers that prefer digests. */
    public static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a {@link GlmTestServer}. */
    public static final class Builder {
        private String basePath = "/api/paas/v4/";
        private String apiKey;
        private Duration latency = Duration.ZERO;
        private Duration slowFirstByte = Duration.ofMillis(300);
        private Duration stallTime = Duration.ofSeconds(2);
        private Function<ChatCall, String> answerer = c -> "ok";
        private double faultRate;
        private List<Fault> faultMix = List.of();
        private long seed = 42;
        private int maxConcurrentPerModel;
        private Function<ChatCall, Fault> faultRule = c -> null;

        /** A fault chosen by the call itself (e.g. by prompt), or {@code null}; checked before any other fault. */
        public Builder faultRule(Function<ChatCall, Fault> value) {
            this.faultRule = Objects.requireNonNull(value);
            return this;
        }

        /** The path under which the v4 API lives; default {@code /api/paas/v4/}. */
        public Builder basePath(String value) {
            this.basePath = value.endsWith("/") ? value : value + "/";
            return this;
        }

        /** When set, requests must carry this key, or a valid JWT made from it; else any bearer is accepted. */
        public Builder apiKey(String value) {
            this.apiKey = value;
            return this;
        }

        /** How long each answer takes. */
        public Builder latency(Duration value) {
            this.latency = Objects.requireNonNull(value);
            return this;
        }

        public Builder slowFirstByte(Duration value) {
            this.slowFirstByte = Objects.requireNonNull(value);
            return this;
        }

        /** How long {@link Fault#STREAM_STALL} goes silent. */
        public Builder stallTime(Duration value) {
            this.stallTime = Objects.requireNonNull(value);
            return this;
        }

        /** The answer content for a chat call; default {@code "ok"}. */
        public Builder answerer(Function<ChatCall, String> value) {
            this.answerer = Objects.requireNonNull(value);
            return this;
        }

        /** The share of requests, 0 to 1, that get a random fault from {@code mix}. */
        public Builder faultRate(double rate, Fault... mix) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("faultRate: must be in [0, 1], got " + rate);
            }
            this.faultRate = rate;
            this.faultMix = List.of(mix);
            return this;
        }

        /** The seed of the random faults. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Answers 429/1302 to calls beyond this many in flight for one model; 0 for no limit. */
        public Builder maxConcurrentPerModel(int value) {
            this.maxConcurrentPerModel = value;
            return this;
        }

        public GlmTestServer build() {
            return new GlmTestServer(this);
        }
    }
}

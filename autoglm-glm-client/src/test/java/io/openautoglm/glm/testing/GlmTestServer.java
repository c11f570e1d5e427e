package io.openautoglm.glm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

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
    private static final ObjectMapper JSON = new ObjectMapper();
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
    private final Duration stallTime;
    private final Function<ChatCall, String> answerer;
    private final double faultRate;
    private final List<Fault> faultMix;
    private final Random random;
    private final int maxConcurrentPerModel;
    private final Function<ChatCall, Fault> faultRule;
    private final Deque<Fault> scripted = new ArrayDeque<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final Map<Fault, AtomicLong> faults = new EnumMap<>(Fault.class);
    private final Map<String, AtomicInteger> answersByPrompt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger maxInFlightSeen = new AtomicInteger();
    private final AtomicLong idCounter = new AtomicLong();

    private GlmTestServer(Builder b) {
        this.basePath = b.basePath;
        this.apiKey = b.apiKey;
        this.latency = b.latency;
        this.slowFirstByte = b.slowFirstByte;
        this.stallTime = b.stallTime;
        this.answerer = b.answerer;
        this.faultRate = b.faultRate;
        this.faultMix = List.copyOf(b.faultMix);
        this.random = new Random(b.seed);
        this.maxConcurrentPerModel = b.maxConcurrentPerModel;
        this.faultRule = b.faultRule;
        for (Fault f : Fault.values()) {
            faults.put(f, new AtomicLong());
        }
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
        synchronized (scripted) {
            scripted.addAll(List.of(next));
        }
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
        Map<Fault, Long> m = new EnumMap<>(Fault.class);
        faults.forEach((k, v) -> {
            if (v.get() > 0) {
                m.put(k, v.get());
            }
        });
        return m;
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
            return error(404, null, "no route " + path + "; the base path is " + basePath);
        }
        String route = path.substring(basePath.length());
        if (!"POST".equals(request.getMethod())) {
            return error(405, null, "method " + request.getMethod() + " not allowed");
        }
        MockResponse authFailure = checkAuth(request.getHeader("Authorization"));
        if (authFailure != null) {
            return authFailure;
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().clone().readUtf8());
        } catch (IOException e) {
            return error(400, "1214", "body is not JSON");
        }
        if (route.equals("chat/completions")) {
            return chat(body);
        }
        if (route.equals("embeddings")) {
            return embeddings(body);
        }
        return error(404, null, "no route " + path);
    }

    private MockResponse checkAuth(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return error(401, "1001", "Authentication header is missing");
        }
        if (apiKey == null) {
            return null;
        }
        String token = header.substring(7);
        if (token.equals(apiKey)) {
            return null;
        }
        String[] parts = token.split("\\.");
        int dot = apiKey.indexOf('.');
        if (parts.length != 3 || dot < 0) {
            return error(401, "1000", "Authentication failed");
        }
        try {
            Base64.Decoder dec = Base64.getUrlDecoder();
            JsonNode head = JSON.readTree(dec.decode(parts[0]));
            JsonNode claims = JSON.readTree(dec.decode(parts[1]));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiKey.substring(dot + 1).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8));
            if (!MessageDigest.isEqual(expected, dec.decode(parts[2]))
                    || !"HS256".equals(head.path("alg").asText()) || !"SIGN".equals(head.path("sign_type").asText())
                    || !apiKey.substring(0, dot).equals(claims.path("api_key").asText())) {
                return error(401, "1004", "Token verification failed");
            }
            if (claims.path("exp").asLong() <= System.currentTimeMillis()) {
                return error(401, "1003", "Token expired");
            }
            return null;
        } catch (Exception e) {
            return error(401, "1002", "Invalid token");
        }
    }

    private Fault nextFault() {
        synchronized (scripted) {
            if (!scripted.isEmpty()) {
                return scripted.poll();
            }
            if (faultRate > 0 && !faultMix.isEmpty() && random.nextDouble() < faultRate) {
                return faultMix.get(random.nextInt(faultMix.size()));
            }
            return null;
        }
    }

    private MockResponse chat(JsonNode body) {
        String model = body.path("model").asText("");
        JsonNode messages = body.get("messages");
        if (model.isEmpty()) {
            return error(400, "1213", "missing model");
        }
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return error(400, "1214", "Input cannot be empty");
        }
        List<String> roles = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        for (JsonNode m : messages) {
            roles.add(m.path("role").asText());
            contents.add(m.path("content").asText());
        }
        boolean stream = body.path("stream").asBoolean(false);
        ChatCall call = new ChatCall(model, roles, contents, stream, body);
        AtomicInteger counter = inFlight.computeIfAbsent(model, k -> new AtomicInteger());
        int now = counter.incrementAndGet();
        try {
            maxInFlightSeen.accumulateAndGet(now, Math::max);
            if (maxConcurrentPerModel > 0 && now > maxConcurrentPerModel) {
                return error(429, "1302", "High concurrency usage of this API, please reduce concurrency");
            }
            Fault fault = faultRule.apply(call);
            if (fault == null) {
                fault = nextFault();
            }
            if (fault != null) {
                faults.get(fault).incrementAndGet();
                MockResponse f = faultResponse(fault, call);
                if (f != null) {
                    return f;
                }
            }
            sleep(latency);
            String content = answerer.apply(call);
            if (fault == Fault.SLOW_FIRST_BYTE) {
                answered(call);
                return answer(call, content, "stop").setHeadersDelay(slowFirstByte.toMillis(), TimeUnit.MILLISECONDS);
            }
            answered(call);
            return answer(call, content, "stop");
        } finally {
            counter.decrementAndGet();
        }
    }

    private void answered(ChatCall call) {
        answered.incrementAndGet();
        answersByPrompt.computeIfAbsent(call.lastUserMessage(), k -> new AtomicInteger()).incrementAndGet();
    }

    private MockResponse faultResponse(Fault fault, ChatCall call) {
        return switch (fault) {
            case RATE_LIMIT_1302 -> error(429, "1302", "High concurrency usage of this API, please reduce concurrency");
            case RATE_LIMIT_1303 -> error(429, "1303", "High frequency usage of this API, please reduce frequency");
            case RATE_LIMIT_RETRY_AFTER -> error(429, "1302", "High concurrency usage of this API")
                    .setHeader("Retry-After", "1");
            case OVERLOADED_1305 -> error(429, "1305", "The service may be temporarily overloaded, please try again later");
            case OVERLOADED_503 -> error(503, "1305", "The service may be temporarily overloaded");
            case MODEL_BUSY_1312 -> error(429, "1312", "The model is busy, please try again later");
            case NO_BALANCE_1113 -> error(429, "1113", "Your account is in arrears, please recharge");
            case PROMPT_TOO_LONG_1261 -> error(400, "1261", "Prompt exceeds max length");
            case CONTENT_FILTER_1301 -> error(400, "1301", "Unsafe or sensitive content detected");
            case INVALID_PARAMETER_1214 -> error(400, "1214", "Invalid parameter: messages");
            case TOKEN_EXPIRED_1003 -> error(401, "1003", "Token expired");
            case AUTH_FAILED_1000 -> error(401, "1000", "Authentication failed");
            case SERVER_500 -> new MockResponse().setResponseCode(500)
                    .setHeader("Content-Type", "application/json")
                    .setBody("{\"error\":{\"message\":\"Internal server error\"}}");
            case SERVER_500_NON_JSON -> new MockResponse().setResponseCode(500).setHeader("Content-Type", "text/html")
                    .setBody("<html><body>502 Bad Gateway</body></html>");
            case RESET -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
            case STALL -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
            case SENSITIVE -> {
                answered(call);
                yield answer(call, "", "sensitive");
            }
            case STREAM_CUT -> call.stream()
                    ? sse(List.of(chunk(call, "assistant", piece(answerer.apply(call)), null, false)), false)
                    : new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
            case STREAM_NETWORK_ERROR -> call.stream()
                    ? sse(List.of(chunk(call, "assistant", piece(answerer.apply(call)), null, false),
                            chunk(call, null, "", "network_error", true)), true)
                    : answer(call, piece(answerer.apply(call)), "network_error");
            case STREAM_STALL -> {
                if (!call.stream()) {
                    yield new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
                }
                String first = "data: " + chunk(call, "assistant", piece(answerer.apply(call)), null, false) + "\n\n";
                String rest = "data: " + chunk(call, null, "", "stop", true) + "\n\ndata: [DONE]\n\n";
                // Not chunked, so the throttle's first batch is exactly the first event.
                MockResponse r = new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/event-stream")
                        .setBody(first + rest);
                yield r.throttleBody(first.getBytes(StandardCharsets.UTF_8).length, stallTime.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            case SLOW_FIRST_BYTE -> null;
        };
    }

    private static String piece(String content) {
        return content.isEmpty() ? "" : content.substring(0, Math.max(1, content.length() / 2));
    }

    private MockResponse answer(ChatCall call, String content, String finishReason) {
        if (call.stream()) {
            List<String> chunks = new ArrayList<>();
            int n = content.length();
            int third = Math.max(1, n / 3);
            chunks.add(chunk(call, "assistant", n == 0 ? "" : content.substring(0, Math.min(n, third)), null, false));
            if (n > third) {
                chunks.add(chunk(call, null, content.substring(third), null, false));
            }
            chunks.add(chunk(call, "assistant", "", finishReason, true));
            return sse(chunks, true);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-" + idCounter.incrementAndGet());
        if (call.body().hasNonNull("request_id")) {
            root.put("request_id", call.body().get("request_id").asText());
        }
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", call.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("finish_reason", finishReason);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        usage(root.putObject("usage"), call, content);
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(root.toString());
    }

    private String chunk(ChatCall call, String role, String content, String finishReason, boolean withUsage) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-stream");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", call.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (finishReason != null) {
            choice.put("finish_reason", finishReason);
        }
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        delta.put("content", content);
        if (withUsage) {
            usage(root.putObject("usage"), call, answerer.apply(call));
        }
        return root.toString();
    }

    private static MockResponse sse(List<String> chunks, boolean done) {
        StringBuilder sb = new StringBuilder();
        for (String c : chunks) {
            sb.append("data: ").append(c).append("\n\n");
        }
        if (done) {
            sb.append("data: [DONE]\n\n");
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/event-stream")
                .setHeader("Cache-Control", "no-cache").setChunkedBody(sb.toString(), 64);
    }

    private static void usage(ObjectNode u, ChatCall call, String content) {
        long prompt = 0;
        for (String c : call.contents()) {
            prompt += Math.max(1, c.length() / 2);
        }
        long completion = Math.max(1, content.length());
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", 0);
    }

    private MockResponse embeddings(JsonNode body) {
        String model = body.path("model").asText("");
        JsonNode input = body.get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray()) {
            input.forEach(n -> texts.add(n.asText()));
        }
        if (texts.isEmpty()) {
            return error(400, "1214", "Input cannot be empty");
        }
        if (texts.size() > 64) {
            return error(400, "1214", "input: at most 64 items, got " + texts.size());
        }
        int dims = model.equals("embedding-2") ? 1024 : 2048;
        if (body.hasNonNull("dimensions")) {
            int d = body.get("dimensions").asInt();
            if (model.equals("embedding-3") && !List.of(256, 512, 1024, 2048).contains(d)
                    || model.equals("embedding-2") && d != 1024) {
                return error(400, "1214", "dimensions " + d + " not supported by " + model);
            }
            dims = d;
        }
        Fault fault = nextFault();
        if (fault != null) {
            faults.get(fault).incrementAndGet();
            MockResponse f = faultResponse(fault, new ChatCall(model, List.of("user"), List.of(""), false, body));
            if (f != null) {
                return f;
            }
        }
        sleep(latency);
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        long tokens = 0;
        // Out of order on purpose: clients must sort by index.
        for (int i = texts.size() - 1; i >= 0; i--) {
            ObjectNode item = data.addObject();
            item.put("index", i);
            item.put("object", "embedding");
            ArrayNode vec = item.putArray("embedding");
            int h = texts.get(i).hashCode();
            for (int j = 0; j < dims; j++) {
                vec.add(j == 0 ? (double) i : ((h >>> (j % 31)) & 1) == 0 ? -0.01 : 0.01);
            }
            tokens += Math.max(1, texts.get(i).length() / 2);
        }
        ObjectNode u = root.putObject("usage");
        u.put("prompt_tokens", tokens);
        u.put("completion_tokens", 0);
        u.put("total_tokens", tokens);
        answered.incrementAndGet();
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(root.toString());
    }

    private static MockResponse error(int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode err = root.putObject("error");
        if (code != null) {
            err.put("code", code);
        }
        err.put("message", message);
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(root.toString());
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

    /** Server sockets whose accepted connections send small writes at once. */
    private static final class NoDelayServerSocketFactory extends javax.net.ServerSocketFactory {
        @Override
        public java.net.ServerSocket createServerSocket() throws IOException {
            return new java.net.ServerSocket() {
                @Override
                public java.net.Socket accept() throws IOException {
                    java.net.Socket s = super.accept();
                    s.setTcpNoDelay(true);
                    return s;
                }
            };
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException("unbound sockets only");
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException("unbound sockets only");
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            throw new UnsupportedOperationException("unbound sockets only");
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
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
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
        public Builder faultRule(Function<ChatCall, Fault> value) { this.faultRule = Objects.requireNonNull(value); return this; }

        /** The path under which the v4 API lives; default {@code /api/paas/v4/}. */
        public Builder basePath(String value) {
            this.basePath = value.endsWith("/") ? value : value + "/";
            return this;
        }

        /** When set, requests must carry this key, or a valid JWT made from it; else any bearer is accepted. */
        public Builder apiKey(String value) { this.apiKey = value; return this; }

        /** How long each answer takes. */
        public Builder latency(Duration value) { this.latency = Objects.requireNonNull(value); return this; }

        public Builder slowFirstByte(Duration value) { this.slowFirstByte = Objects.requireNonNull(value); return this; }

        /** How long {@link Fault#STREAM_STALL} goes silent. */
        public Builder stallTime(Duration value) { this.stallTime = Objects.requireNonNull(value); return this; }

        /** The answer content for a chat call; default {@code "ok"}. */
        public Builder answerer(Function<ChatCall, String> value) { this.answerer = Objects.requireNonNull(value); return this; }

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
        public Builder seed(long value) { this.seed = value; return this; }

        /** Answers 429/1302 to calls beyond this many in flight for one model; 0 for no limit. */
        public Builder maxConcurrentPerModel(int value) { this.maxConcurrentPerModel = value; return this; }

        public GlmTestServer build() {
            return new GlmTestServer(this);
        }
    }
}

package io.openautoglm.glm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.glm.internal.AimdLimiter;
import io.openautoglm.glm.internal.EndpointPool;
import io.openautoglm.glm.internal.ErrorMapper;
import io.openautoglm.glm.internal.Json;
import io.openautoglm.glm.internal.Jwt;
import io.openautoglm.glm.internal.RpmLimiter;
import io.openautoglm.glm.internal.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for Zhipu's GLM API (BigModel / Z.ai, v4): chat completions (blocking, async and streamed), embeddings,
 * with authentication, retries, per-model concurrency limits, several endpoints with failover, usage, cost and a
 * budget.
 *
 * <pre>{@code
 * try (GlmClient glm = GlmClient.builder().build()) {          // key from ZHIPUAI_API_KEY
 *     ChatResponse r = glm.chat(ChatRequest.builder("glm-4-flash").user("你好").build());
 *     System.out.println(r.content() + " " + r.usage());
 * }
 * }</pre>
 *
 * <p>Every call is either answered or ends in a {@link GlmException} that says why: retriable failures are
 * repeated under the {@link RetryPolicy}, with the in-flight limit of the model lowered on {@code 1302}/{@code 1305}
 * and raised again as calls succeed. The key appears in no log, exception message or {@code toString}; plain
 * {@code http://} is refused except to a loopback address unless {@link Builder#allowInsecureHttp} is set.
 *
 * <p>Thread-safe: one client serves any number of threads. Close it to release its connections and threads.
 */
public final class GlmClient implements AutoCloseable {
    /** Environment variable read for the API key when the builder has none. */
    public static final String ENV_API_KEY = "ZHIPUAI_API_KEY";
    /** Environment variable read for the base URL when the builder has none. */
    public static final String ENV_BASE_URL = "ZHIPUAI_BASE_URL";

    private static final Logger LOG = LoggerFactory.getLogger(GlmClient.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final List<Endpoint> endpoints;
    private final AuthMode authMode;
    private final RetryPolicy retryPolicy;
    private final int maxInFlightPerModel;
    private final boolean adaptiveConcurrency;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final Duration streamIdleTimeout;
    private final PriceTable priceTable;
    private final SpendLimit budget;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Secrets secrets;

    private final OkHttpClient http;
    private final OkHttpClient streamHttp;
    private final EndpointPool pool;
    private final Map<String, Jwt> jwts = new ConcurrentHashMap<>();
    private final Map<String, AimdLimiter> limiters = new ConcurrentHashMap<>();
    private final RpmLimiter rpm;
    private final Executor asyncExecutor;
    private final ExecutorService ownExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final LongAdder calls = new LongAdder();
    private final LongAdder failedCalls = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final DoubleAdder cost = new DoubleAdder();

    private GlmClient(Builder b, List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        this.authMode = b.authMode;
        this.retryPolicy = b.retryPolicy;
        this.maxInFlightPerModel = b.maxInFlightPerModel;
        this.adaptiveConcurrency = b.adaptiveConcurrency;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        this.streamIdleTimeout = b.streamIdleTimeout;
        this.priceTable = b.priceTable;
        this.budget = b.budget;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.random = b.random;
        this.secrets = new Secrets(this.endpoints.stream().map(Endpoint::apiKey).toList());
        if (authMode == AuthMode.JWT) {
            for (Endpoint e : this.endpoints) {
                jwts.computeIfAbsent(e.apiKey(), k -> new Jwt(k, clock, b.jwtTtl, Duration.ofMinutes(1)));
            }
        }
        int poolSize = Math.max(5, maxInFlightPerModel * this.endpoints.size() * 2);
        this.http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(poolSize, 5, TimeUnit.MINUTES))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                // Retries are ours: OkHttp's silent retry would resend a request we may already be paying for.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
        // A stream may legitimately run longer than a blocking call: the idle timeout is its watchdog, and the call
        // timeout, which would cut a long answer that never stops arriving, does not apply.
        this.streamHttp = http.newBuilder().readTimeout(streamIdleTimeout).callTimeout(Duration.ZERO).build();
        this.pool = new EndpointPool(this.endpoints, clock, b.failureThreshold, b.endpointCooldown, random);
        this.rpm = b.requestsPerMinute > 0 ? new RpmLimiter(b.requestsPerMinute, clock, sleeper) : null;
        if (b.executor != null) {
            this.asyncExecutor = b.executor;
            this.ownExecutor = null;
        } else {
            this.ownExecutor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "glm-async-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.asyncExecutor = ownExecutor;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder configured from the {@code glm-*} provider's options (the {@code model.options} of a pipeline spec,
     * references already resolved), exactly as the provider configures its own client: for code that needs the
     * client beside a pipeline, such as an optimiser's text generator.
     *
     * @throws IllegalArgumentException naming an unknown or bad option, never its value
     */
    public static Builder builderFromOptions(java.util.Map<String, String> options) {
        return new io.openautoglm.glm.internal.ProviderOptions(options).clientBuilder(System::getenv);
    }

    /** Sends a chat request and waits for the answer. */
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        return chat(request, null);
    }

    private ChatResponse chat(ChatRequest request, Cancellation cancellation) {
        ObjectNode body = Json.chatBody(request, false);
        return execute(request.model(), "chat/completions", body, false, cancellation,
                (response, ep, delivered) -> wholeAnswer(request, response, ep));
    }

    /** A complete (not streamed) chat answer, accounted. */
    private ChatResponse wholeAnswer(ChatRequest request, Response response, Endpoint ep) throws IOException {
        JsonNode root = readJson(response, ep);
        Json.ChatResult r;
        try {
            r = Json.parseChat(root);
        } catch (IllegalArgumentException e) {
            throw new ServerException(secrets.redact("GLM answer without choices from " + ep.name() + ": "
                    + abbreviate(root.toString())), response.code(), null, null);
        }
        return account(new ChatResponse(r.id(), r.requestId(), r.created(), r.model() != null ? r.model()
                : request.model(), r.content(), r.reasoning(), r.toolCalls(), FinishReason.of(r.finishReason()),
                r.finishReason(), r.usage(), 0, ep.name()), request.model());
    }

    /** Sends a chat request on the client's executor (the builder's, or its own threads). */
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return chatAsync(request, asyncExecutor);
    }

    /**
     * Sends a chat request on the given executor. The future fails with the {@link GlmException} itself. Cancelling
     * the future, or completing it any other way before the answer (e.g. {@code orTimeout}), cancels the HTTP call in
     * flight and starts no further attempt, so a cancelled call is not paid for unless its answer had already come.
     */
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, Executor executor) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(executor, "executor");
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        Cancellation cancellation = new Cancellation();
        CompletableFuture<ChatResponse> f = new CompletableFuture<>();
        f.whenComplete((r, t) -> {
            if (t != null) {
                cancellation.cancel();
            }
        });
        try {
            executor.execute(() -> {
                if (f.isDone()) {
                    return;
                }
                try {
                    f.complete(chat(request, cancellation));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(closed.get() ? closedException()
                    : new NonRetriableGlmException("GLM call to " + request.model() + " not started: the executor refused "
                    + "it (" + e.getMessage() + ")", e, 0, null));
        }
        return f;
    }

    private static NonRetriableGlmException closedException() {
        return new NonRetriableGlmException("this GlmClient is closed", null, 0, null);
    }

    /** The HTTP call in flight for one asynchronous request, so that cancelling its future can cancel the call. */
    private static final class Cancellation {
        private volatile boolean cancelled;
        private Call call;

        synchronized void cancel() {
            cancelled = true;
            if (call != null) {
                call.cancel();
            }
        }

        synchronized void track(Call c) {
            call = c;
            if (cancelled) {
                c.cancel();
            }
        }

        boolean cancelled() {
            return cancelled;
        }
    }

    /**
     * Streams an answer over SSE: each chunk goes to {@code onDelta} as it arrives, on the calling thread, and the
     * assembled answer is returned at the end ({@code data: [DONE]}), with the usage the last chunk carried. A
     * {@code finish_reason} of {@code sensitive}, {@code network_error}, {@code length} or
     * {@code model_context_window_exceeded} is returned as such in {@link ChatResponse#finishReason()}.
     *
     * <p>Failures before the first content chunk are retried like any call. Once content has been handed to
     * {@code onDelta} the call cannot be repeated without repeating it to the caller, so a stream that then breaks
     * (cut before {@code [DONE]}, or silent for longer than the stream idle timeout) ends in a
     * {@link GlmNetworkException} carrying the partial content.
     */
    public ChatResponse chatStream(ChatRequest request, Consumer<ChatDelta> onDelta) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onDelta, "onDelta");
        ObjectNode body = Json.chatBody(request, true);
        return execute(request.model(), "chat/completions", body, true, null,
                (response, ep, delivered) -> readStream(request, response, ep, onDelta, delivered));
    }

    /**
     * Embeds texts. Long lists are split into requests within GLM's limits and the vectors come back in input
     * order, with the usage of all requests added up.
     */
    public EmbeddingResponse embed(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        List<List<String>> batches = embeddingBatches(request);
        List<float[]> vectors = new ArrayList<>(request.inputs().size());
        long prompt = 0;
        long total = 0;
        double spent = 0;
        String model = request.model();
        for (List<String> batch : batches) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("model", request.model());
            ArrayNode input = body.putArray("input");
            batch.forEach(input::add);
            if (request.dimensions() != null) {
                body.put("dimensions", request.dimensions());
            }
            EmbeddingResponse part = execute(request.model(), "embeddings", body, false, null, (response, ep, d) -> {
                JsonNode root = readJson(response, ep);
                JsonNode data = root.get("data");
                if (data == null || !data.isArray() || data.size() != batch.size()) {
                    throw new ServerException(secrets.redact("GLM embeddings answer from " + ep.name() + " has "
                            + (data == null ? "no" : data.size()) + " vectors for " + batch.size() + " inputs"),
                            response.code(), null, null);
                }
                float[][] ordered = new float[batch.size()][];
                for (int i = 0; i < data.size(); i++) {
                    JsonNode item = data.get(i);
                    int index = item.has("index") ? item.get("index").asInt() : i;
                    if (index < 0 || index >= ordered.length || ordered[index] != null) {
                        throw new ServerException("GLM embeddings answer has a bad or repeated index " + index,
                                response.code(), null, null);
                    }
                    JsonNode emb = item.path("embedding");
                    boolean numbers = emb.isArray() && emb.size() > 0;
                    for (JsonNode x : emb) {
                        numbers &= x.isNumber();
                    }
                    if (!numbers) {
                        throw new ServerException(secrets.redact("GLM embeddings answer from " + ep.name()
                                + ": item " + index + " has no vector of numbers: " + abbreviate(item.toString())),
                                response.code(), null, null);
                    }
                    float[] v = new float[emb.size()];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = (float) emb.get(j).asDouble();
                    }
                    ordered[index] = v;
                }
                TokenUsage usage = Json.usage(root.get("usage"));
                double c = priceTable.cost(request.model(), usage);
                recordSpend(usage, c);
                String m = root.hasNonNull("model") ? root.get("model").asText() : request.model();
                return new EmbeddingResponse(m, List.of(ordered), usage, c, 1);
            });
            vectors.addAll(part.vectors());
            prompt += part.usage().promptTokens();
            total += part.usage().totalTokens();
            spent += part.cost();
            model = part.model();
        }
        return new EmbeddingResponse(model, vectors, new TokenUsage(prompt, 0, total, 0), spent, batches.size());
    }

    /** What this client has consumed so far. */
    public UsageTotals usage() {
        return new UsageTotals(calls.sum(), failedCalls.sum(), retries.sum(), promptTokens.sum(),
                completionTokens.sum(), cost.sum());
    }

    /** The current in-flight limit for a model: the configured maximum, or less after rate-limit answers. */
    public int inFlightLimit(String model) {
        return limiter(model).limit();
    }

    /** Whether each endpoint is currently in rotation, by endpoint name. */
    public Map<String, Boolean> endpointHealth() {
        return pool.health();
    }

    public List<Endpoint> endpoints() { return endpoints; }

    public RetryPolicy retryPolicy() { return retryPolicy; }

    public PriceTable priceTable() { return priceTable; }

    /** The budget, or {@code null} when spending is not capped. */
    public SpendLimit budget() { return budget; }

    public int maxInFlightPerModel() { return maxInFlightPerModel; }

    /** Releases connections and the client's own threads. Calls made after this fail. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
            }
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "GlmClient[endpoints=" + endpoints + ", auth=" + authMode + ", maxInFlightPerModel=" + maxInFlightPerModel
                + ", " + retryPolicy + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Handler<T> {
        T handle(Response response, Endpoint endpoint, AtomicBoolean delivered) throws IOException;
    }

    private AimdLimiter limiter(String model) {
        return limiters.computeIfAbsent(model, m -> new AimdLimiter(maxInFlightPerModel, adaptiveConcurrency, clock,
                Duration.ofSeconds(1)));
    }

    private <T> T execute(String model, String path, ObjectNode body, boolean stream, Cancellation cancellation,
                          Handler<T> handler) {
        byte[] payload = Json.bytes(body);
        AimdLimiter limiter = limiter(model);
        Set<EndpointPool.State> avoid = new HashSet<>();
        AtomicBoolean delivered = new AtomicBoolean();
        boolean jwtRenewed = false;
        int attempt = 0;
        while (true) {
            if (closed.get()) {
                throw closedException();
            }
            if (cancellation != null && cancellation.cancelled()) {
                throw cancelled(model, null);
            }
            attempt++;
            GlmException failure;
            EndpointPool.State state = null;
            String token = null;
            boolean acquired = false;
            try {
                // the in-flight permit first: a per-minute slot reserved before a long wait for it would be spent
                // at once when permits free, in a burst past the rate
                limiter.acquire();
                acquired = true;
                if (budget != null && budget.exhausted()) {
                    // checked once the permit is held: other calls may have spent the budget while this one waited
                    throw new SpendLimitExceededException("budget exhausted: " + budget + "; the call to " + model
                            + " was not sent");
                }
                if (rpm != null) {
                    rpm.acquire();
                }
                state = pool.acquire(avoid);
                Endpoint ep = state.endpoint();
                token = credential(ep);
                Request request = new Request.Builder()
                        .url(url(ep, path))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", stream ? "text/event-stream" : "application/json")
                        .post(RequestBody.create(payload, JSON_TYPE))
                        .build();
                Call call = (stream ? streamHttp : http).newCall(request);
                if (cancellation != null) {
                    cancellation.track(call);
                }
                try (Response response = call.execute()) {
                    if (!response.isSuccessful()) {
                        throw ErrorMapper.map(response.code(), bodyText(response), response.header("Retry-After"),
                                "endpoint " + ep.name() + ", model " + model, secrets, clock);
                    }
                    T result = handler.handle(response, ep, delivered);
                    limiter.onSuccess();
                    pool.release(state, true, false);
                    state = null;
                    return result;
                }
            } catch (SpendLimitExceededException e) {
                throw e;
            } catch (GlmException e) {
                failure = e;
            } catch (RuntimeException e) {
                // The caller's stream consumer threw, or something unexpected: not the endpoint's fault, not retried.
                if (state != null) {
                    pool.release(state, false, false);
                }
                failedCalls.increment();
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(model, state, e);
            } catch (IOException e) {
                if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                        && Thread.currentThread().isInterrupted()) {
                    throw interrupted(model, state, e);
                }
                failure = network(e, model, state);
            } finally {
                if (acquired) {
                    limiter.release();
                }
            }
            if (state != null) {
                // A rate limit says the account is busy, not that the endpoint is broken: the limiter handles it.
                pool.release(state, false, failure.isRetriable() && !(failure instanceof RateLimitException));
                if (pool.size() > 1) {
                    avoid.add(state);
                }
            }
            if (cancellation != null && cancellation.cancelled()) {
                throw cancelled(model, failure);
            }
            if (failure instanceof RateLimitException && limiter.onOverload()) {
                LOG.debug("GLM {} for {}: in-flight limit lowered to {}", failure.code(), model, limiter.limit());
            }
            if (failure instanceof AuthenticationException a && a.tokenExpired() && authMode == AuthMode.JWT
                    && !jwtRenewed && state != null) {
                // A clock-skewed or cached token was refused: sign a fresh one and repeat once, uncounted.
                jwts.get(state.endpoint().apiKey()).invalidate(token);
                jwtRenewed = true;
                attempt--;
                continue;
            }
            if (delivered.get() || !retryPolicy.shouldRetry(failure, attempt)) {
                failedCalls.increment();
                throw failure;
            }
            retries.increment();
            Duration wait = retryPolicy.delay(attempt, failure, random.nextDouble());
            LOG.debug("GLM attempt {} of {} failed, retrying in {} ms: {}", attempt, retryPolicy.maxAttempts(),
                    wait.toMillis(), failure.getMessage());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failedCalls.increment();
                throw new NonRetriableGlmException("GLM call to " + model + " interrupted while waiting to retry",
                        e, 0, null);
            }
        }
    }

    private GlmException cancelled(String model, GlmException cause) {
        failedCalls.increment();
        return new NonRetriableGlmException("GLM call to " + model + " cancelled", cause, 0, null);
    }

    private GlmException interrupted(String model, EndpointPool.State state, Exception cause) {
        if (state != null) {
            pool.release(state, false, false);
        }
        failedCalls.increment();
        return new NonRetriableGlmException("GLM call to " + model + " interrupted", cause, 0, null);
    }

    private GlmNetworkException network(IOException e, String model, EndpointPool.State state) {
        String where = state == null ? "" : " from endpoint " + state.endpoint().name();
        String what = e instanceof SocketTimeoutException ? "timed out (" + e.getMessage() + ")" : e.toString();
        return new GlmNetworkException(secrets.redact("GLM call to " + model + where + " failed: " + what), e);
    }

    private String credential(Endpoint ep) {
        return authMode == AuthMode.JWT ? jwts.get(ep.apiKey()).token() : ep.apiKey();
    }

    private static HttpUrl url(Endpoint ep, String path) {
        HttpUrl base = HttpUrl.get(ep.baseUrl());
        return base.resolve(path);
    }

    private ChatResponse account(ChatResponse r, String model) {
        double c = priceTable.cost(r.model() != null ? r.model() : model, r.usage());
        recordSpend(r.usage(), c);
        return new ChatResponse(r.id(), r.requestId(), r.created(), r.model(), r.content(), r.reasoningContent(),
                r.toolCalls(), r.finishReason(), r.finishReasonRaw(), r.usage(), c, r.endpoint());
    }

    private void recordSpend(TokenUsage u, double c) {
        calls.increment();
        promptTokens.add(u.promptTokens());
        completionTokens.add(u.completionTokens());
        cost.add(c);
        if (budget != null) {
            budget.record(u.totalTokens(), c);
        }
    }

    private JsonNode readJson(Response response, Endpoint ep) throws IOException {
        String text = bodyText(response);
        try {
            JsonNode root = Json.read(text);
            if (root == null || !root.isObject()) {
                throw new IOException("not a JSON object");
            }
            if (root.has("error") && !root.has("choices") && !root.has("data")) {
                throw ErrorMapper.map(response.code(), text, null, "endpoint " + ep.name(), secrets, clock);
            }
            return root;
        } catch (GlmException e) {
            throw e;
        } catch (IOException e) {
            throw new ServerException(secrets.redact("GLM answer from " + ep.name() + " is not JSON: "
                    + abbreviate(text)), response.code(), null, null);
        }
    }

    private static String bodyText(Response response) throws IOException {
        ResponseBody b = response.body();
        return b == null ? "" : b.string();
    }

    private ChatResponse readStream(ChatRequest request, Response response, Endpoint ep, Consumer<ChatDelta> onDelta,
                                    AtomicBoolean delivered) throws IOException {
        MediaType type = response.body() == null ? null : response.body().contentType();
        if (type != null && !"event-stream".equals(type.subtype())) {
            // A server (or proxy) that ignored stream=true: hand the whole answer over as one delta.
            ChatResponse whole = wholeAnswer(request, response, ep);
            delivered.set(true);
            onDelta.accept(new ChatDelta("assistant", whole.content(), whole.reasoningContent(),
                    whole.finishReason(), whole.finishReasonRaw(), whole.usage()));
            return whole;
        }
        BufferedSource source = response.body().source();
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = null;
        StringBuilder data = new StringBuilder();
        String id = null;
        String model = null;
        long created = 0;
        String finishRaw = null;
        TokenUsage usage = null;
        Json.ToolCallAssembler toolCalls = new Json.ToolCallAssembler();
        int chunks = 0;
        boolean done = false;
        try {
            while (!done) {
                String line = source.readUtf8Line();
                boolean eof = line == null;
                if (!eof && !line.isEmpty()) {
                    if (line.startsWith("data:")) {
                        if (data.length() > 0) {
                            data.append('\n');
                        }
                        data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
                    }
                    // Comments (":"), event:, id: and retry: lines carry nothing GLM uses: skipped.
                    continue;
                }
                if (data.length() > 0) {
                    String event = data.toString().strip();
                    data.setLength(0);
                    if (event.equals("[DONE]")) {
                        done = true;
                        break;
                    }
                    JsonNode node;
                    try {
                        node = Json.read(event);
                    } catch (IOException bad) {
                        throw new GlmNetworkException(secrets.redact("GLM stream from " + ep.name()
                                + " sent a chunk that is not JSON: " + abbreviate(event)), bad, partial(content, delivered));
                    }
                    if (node.has("error")) {
                        throw ErrorMapper.map(response.code(), event, null, "stream from endpoint " + ep.name(),
                                secrets, clock);
                    }
                    ChatDelta delta = Json.parseChunk(node);
                    toolCalls.add(node);
                    chunks++;
                    id = id == null ? Json.MAPPER.convertValue(node.get("id"), String.class) : id;
                    model = model == null && node.hasNonNull("model") ? node.get("model").asText() : model;
                    created = created == 0 ? node.path("created").asLong(0) : created;
                    if (delta.content() != null) {
                        content.append(delta.content());
                    }
                    if (delta.reasoningContent() != null) {
                        reasoning = reasoning == null ? new StringBuilder() : reasoning;
                        reasoning.append(delta.reasoningContent());
                    }
                    if (delta.finishReason() != null) {
                        finishRaw = delta.finishReasonRaw();
                    }
                    if (delta.usage() != null) {
                        usage = delta.usage();
                    }
                    if ((delta.content() != null && !delta.content().isEmpty())
                            || (delta.reasoningContent() != null && !delta.reasoningContent().isEmpty())) {
                        delivered.set(true);
                    }
                    onDelta.accept(delta);
                }
                if (eof) {
                    break;
                }
            }
        } catch (SocketTimeoutException idle) {
            throw new GlmNetworkException(secrets.redact("GLM stream from " + ep.name() + " sent nothing for "
                    + streamIdleTimeout.toMillis() + " ms after " + chunks + " chunks: stopped by the idle watchdog"),
                    idle, partial(content, delivered));
        } catch (GlmException e) {
            throw e;
        } catch (IOException cut) {
            throw new GlmNetworkException(secrets.redact("GLM stream from " + ep.name() + " broke after " + chunks
                    + " chunks: " + cut), cut, partial(content, delivered));
        }
        if (!done && finishRaw == null) {
            throw new GlmNetworkException(secrets.redact("GLM stream from " + ep.name() + " ended before [DONE] after "
                    + chunks + " chunks, without a finish_reason"), null, partial(content, delivered));
        }
        if (!done) {
            LOG.debug("GLM stream from {} ended after its finish_reason but without [DONE]", ep.name());
        }
        return account(new ChatResponse(id, null, created, model != null ? model : request.model(), content.toString(),
                reasoning == null ? null : reasoning.toString(), toolCalls.calls(), FinishReason.of(finishRaw),
                finishRaw, usage, 0, ep.name()), request.model());
    }

    /**
     * What a broken stream had handed to the caller, or {@code null} when nothing had reached it: then the call
     * is repeated here like any failed attempt, and callers must not repeat it once more.
     */
    private static String partial(StringBuilder content, AtomicBoolean delivered) {
        return delivered.get() ? content.toString() : null;
    }

    private static List<List<String>> embeddingBatches(EmbeddingRequest request) {
        // embedding-3: at most 64 texts per request. embedding-2: about 8K tokens per request; one character is
        // counted as one token, which over-counts for every script GLM tokenizes, so requests stay under the cap.
        int maxItems = 64;
        long maxTokens = request.model().equals("embedding-2") ? 8000 : Long.MAX_VALUE;
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long tokens = 0;
        for (String s : request.inputs()) {
            long t = s.length();
            if (!current.isEmpty() && (current.size() == maxItems || tokens + t > maxTokens)) {
                out.add(current);
                current = new ArrayList<>();
                tokens = 0;
            }
            current.add(s);
            tokens += t;
        }
        out.add(current);
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name other than localhost: never resolved here, so no DNS lookup decides security
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Builds a {@link GlmClient}. Everything is optional: with nothing set, the key comes from
     * {@code ZHIPUAI_API_KEY} and the base URL from {@code ZHIPUAI_BASE_URL} or {@link Endpoint#BIGMODEL}.
     */
    public static final class Builder {
        private String apiKey;
        private String baseUrl;
        private final List<Endpoint> endpoints = new ArrayList<>();
        private AuthMode authMode = AuthMode.API_KEY;
        private boolean allowInsecureHttp;
        private Function<String, String> environment = System::getenv;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private int maxInFlightPerModel = 8;
        private boolean adaptiveConcurrency = true;
        private int requestsPerMinute;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ofSeconds(120);
        private Duration streamIdleTimeout = Duration.ofSeconds(30);
        private PriceTable priceTable = PriceTable.defaults();
        private SpendLimit budget;
        private Executor executor;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        // Each call draws from its own thread's generator: no contention, no shared unsynchronised state.
        private RandomGenerator random = () -> java.util.concurrent.ThreadLocalRandom.current().nextLong();
        private int failureThreshold = 3;
        private Duration endpointCooldown = Duration.ofSeconds(30);
        private Duration jwtTtl = Duration.ofMinutes(30);

        private Builder() {
        }

        /** The API key for endpoints that have none of their own; else {@code ZHIPUAI_API_KEY} is read. */
        public Builder apiKey(String value) { this.apiKey = value; return this; }

        /** The base URL when no {@link #endpoint} is given; else {@code ZHIPUAI_BASE_URL}, else BigModel's. */
        public Builder baseUrl(String value) { this.baseUrl = value; return this; }

        /** Adds an endpoint; with several, see {@link Endpoint} for how they share the load. */
        public Builder endpoint(Endpoint value) {
            endpoints.add(Objects.requireNonNull(value, "endpoint"));
            return this;
        }

        public Builder authMode(AuthMode value) { this.authMode = Objects.requireNonNull(value, "authMode"); return this; }

        /** Allows plain {@code http://} to hosts other than loopback. The key then travels unencrypted. */
        public Builder allowInsecureHttp(boolean value) { this.allowInsecureHttp = value; return this; }

        /** Where environment variables are read; for tests. */
        public Builder environment(Function<String, String> value) {
            this.environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) { this.retryPolicy = Objects.requireNonNull(value, "retryPolicy"); return this; }

        /** Requests in flight per model at most (GLM limits concurrency per model); default 8. */
        public Builder maxInFlightPerModel(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxInFlightPerModel: must be at least 1, got " + value);
            }
            this.maxInFlightPerModel = value;
            return this;
        }

        /** Whether the in-flight limit is halved on 1302/1305 and grows back on success (default true). */
        public Builder adaptiveConcurrency(boolean value) { this.adaptiveConcurrency = value; return this; }

        /** A cap on requests per minute over all models, 0 for none (the default). */
        public Builder requestsPerMinute(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("requestsPerMinute: must be 0 (no limit) or more, got " + value);
            }
            this.requestsPerMinute = value;
            return this;
        }

        public Builder connectTimeout(Duration value) { this.connectTimeout = positive("connectTimeout", value); return this; }

        /** The longest wait for any one read of a response. */
        public Builder readTimeout(Duration value) { this.readTimeout = positive("readTimeout", value); return this; }

        /**
         * The longest one attempt of a blocking call may take, from connecting to the end of the body. Streams are
         * bounded by {@link #streamIdleTimeout} instead, however long they keep sending.
         */
        public Builder callTimeout(Duration value) { this.callTimeout = positive("callTimeout", value); return this; }

        /** The idle watchdog of streams: a stream that sends nothing for this long is ended. */
        public Builder streamIdleTimeout(Duration value) { this.streamIdleTimeout = positive("streamIdleTimeout", value); return this; }

        public Builder priceTable(PriceTable value) { this.priceTable = Objects.requireNonNull(value, "priceTable"); return this; }

        public Builder budget(SpendLimit value) { this.budget = value; return this; }

        /** The executor of {@link #chatAsync(ChatRequest)}; default the client's own daemon threads. */
        public Builder executor(Executor value) { this.executor = value; return this; }

        public Builder clock(Clock value) { this.clock = Objects.requireNonNull(value, "clock"); return this; }

        public Builder sleeper(Sleeper value) { this.sleeper = Objects.requireNonNull(value, "sleeper"); return this; }

        /** The source of jitter and of weighted endpoint choice; used from many threads, so it must be thread-safe. */
        public Builder random(RandomGenerator value) { this.random = Objects.requireNonNull(value, "random"); return this; }

        /** Consecutive failures that take an endpoint out (default 3). */
        public Builder endpointFailureThreshold(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("endpointFailureThreshold: must be at least 1, got " + value);
            }
            this.failureThreshold = value;
            return this;
        }

        /** How long an endpoint stays out before a probe (default 30 s). */
        public Builder endpointCooldown(Duration value) { this.endpointCooldown = positive("endpointCooldown", value); return this; }

        /** Lifetime of a JWT (default 30 min); it is renewed a minute before it expires. */
        public Builder jwtTtl(Duration value) {
            Duration d = positive("jwtTtl", value);
            if (d.compareTo(Duration.ofMinutes(2)) < 0) {
                throw new IllegalArgumentException("jwtTtl: must be at least 2 minutes, got " + d);
            }
            this.jwtTtl = d;
            return this;
        }

        public GlmClient build() {
            String key = apiKey != null ? apiKey : environment.apply(ENV_API_KEY);
            List<Endpoint> list = new ArrayList<>();
            if (endpoints.isEmpty()) {
                String base = baseUrl != null ? baseUrl : environment.apply(ENV_BASE_URL);
                list.add(Endpoint.builder().baseUrl(base == null || base.isBlank() ? Endpoint.BIGMODEL : base)
                        .apiKey(key).build());
            } else {
                for (Endpoint e : endpoints) {
                    list.add(e.apiKey() != null ? e : Endpoint.builder().name(e.name()).baseUrl(e.baseUrl())
                            .weight(e.weight()).backup(e.backup()).apiKey(key).build());
                }
            }
            Map<String, Integer> names = new LinkedHashMap<>();
            for (Endpoint e : list) {
                if (e.apiKey() == null || e.apiKey().isBlank()) {
                    throw new IllegalArgumentException("apiKey: no API key for endpoint " + e.name()
                            + "; pass GlmClient.builder().apiKey(...) or set " + ENV_API_KEY);
                }
                HttpUrl url = HttpUrl.parse(e.baseUrl());
                if (url == null) {
                    throw new IllegalArgumentException("baseUrl: not a URL: '" + e.baseUrl() + "'");
                }
                if (!url.isHttps() && !allowInsecureHttp && !isLoopback(url.host())) {
                    throw new IllegalArgumentException("baseUrl: plain http:// to '" + url.host() + "' is refused "
                            + "because the API key would travel unencrypted; use https:// or allowInsecureHttp(true)");
                }
                if (names.merge(e.name(), 1, Integer::sum) > 1) {
                    throw new IllegalArgumentException("endpoint: the name '" + e.name() + "' is used twice; give each "
                            + "endpoint its own name");
                }
            }
            if (authMode == AuthMode.JWT) {
                // Validates the key shape now rather than on the first call.
                list.forEach(e -> new Jwt(e.apiKey(), clock, jwtTtl, Duration.ofMinutes(1)));
            }
            if (!callTimeout.isZero() && callTimeout.compareTo(readTimeout) < 0) {
                throw new IllegalArgumentException("callTimeout: must not be shorter than readTimeout " + readTimeout
                        + ", got " + callTimeout);
            }
            return new GlmClient(this, list);
        }

        private static Duration positive(String field, Duration d) {
            Objects.requireNonNull(d, field);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + ": must be positive, got " + d);
            }
            return d;
        }
    }

    /** Unwraps the {@link GlmException} from an async failure; for callers of {@code join()}. */
    public static RuntimeException unwrap(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof RuntimeException re ? re : new CompletionException(c);
    }
}

package io.openautoglm.glm;

import io.openautoglm.glm.internal.AsyncCall;
import io.openautoglm.glm.internal.AuthInterceptor;
import io.openautoglm.glm.internal.Cancellation;
import io.openautoglm.glm.internal.ClientAccess;
import io.openautoglm.glm.internal.EmbeddingBatches;
import io.openautoglm.glm.internal.EndpointInterceptor;
import io.openautoglm.glm.internal.EndpointPool;
import io.openautoglm.glm.internal.GlmCall;
import io.openautoglm.glm.internal.GlmRequest;
import io.openautoglm.glm.internal.HttpCall;
import io.openautoglm.glm.internal.InFlightLimitInterceptor;
import io.openautoglm.glm.internal.Interceptor;
import io.openautoglm.glm.internal.Json;
import io.openautoglm.glm.internal.JsonAnswers;
import io.openautoglm.glm.internal.RateLimitInterceptor;
import io.openautoglm.glm.internal.RealChain;
import io.openautoglm.glm.internal.ResponseReader;
import io.openautoglm.glm.internal.RetryInterceptor;
import io.openautoglm.glm.internal.RpmLimiter;
import io.openautoglm.glm.internal.Secrets;
import io.openautoglm.glm.internal.SpendLimitInterceptor;
import io.openautoglm.glm.internal.StreamedChat;
import io.openautoglm.glm.internal.UsageCounter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

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
 * <p>Each call runs through a chain of small steps, as OkHttp builds calls: retry, in-flight limit, budget,
 * requests per minute, endpoint choice, authentication, then HTTP (see {@code docs/glm-client.md}, "How a call
 * goes"). This class only builds the chain and frames requests and answers.
 *
 * <p>Thread-safe: one client serves any number of threads. Close it to release its connections and threads.
 */
public final class GlmClient implements AutoCloseable {
    /** Environment variable read for the API key when the builder has none. */
    public static final String ENV_API_KEY = "ZHIPUAI_API_KEY";
    /** Environment variable read for the base URL when the builder has none. */
    public static final String ENV_BASE_URL = "ZHIPUAI_BASE_URL";

    static {
        ClientAccess.install((client, request, stream, unfinished) ->
                client.chat(request, stream, d -> {}, null, Objects.requireNonNull(unfinished, "unfinished")));
    }

    private final List<Endpoint> endpoints;
    private final AuthMode authMode;
    private final RetryPolicy retryPolicy;
    private final int maxInFlightPerModel;
    private final PriceTable priceTable;
    private final SpendLimit budget;

    private final HttpCall http;
    private final EndpointPool pool;
    private final InFlightLimitInterceptor inFlight;
    private final UsageCounter usage;
    private final List<Interceptor> interceptors;
    private final JsonAnswers answers;
    private final StreamedChat streams;
    private final EmbeddingBatches embeddings;
    private final Executor asyncExecutor;
    private final ExecutorService ownExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();

    GlmClient(GlmClientBuilder b, List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        this.authMode = b.authMode;
        this.retryPolicy = b.retryPolicy;
        this.maxInFlightPerModel = b.maxInFlightPerModel;
        this.priceTable = b.priceTable;
        this.budget = b.budget;
        // first, since it checks the shape of JWT keys: build() fails rather than the first call
        AuthInterceptor auth = new AuthInterceptor(authMode, this.endpoints, b.clock, b.jwtTtl);
        Secrets secrets =
                new Secrets(this.endpoints.stream().map(Endpoint::apiKey).toList());
        this.http = HttpCall.create(
                Math.max(5, maxInFlightPerModel * this.endpoints.size() * 2),
                b.connectTimeout,
                b.readTimeout,
                b.callTimeout,
                b.streamIdleTimeout,
                secrets,
                b.clock);
        this.pool = new EndpointPool(this.endpoints, b.clock, b.failureThreshold, b.endpointCooldown, b.random);
        this.usage = new UsageCounter(priceTable, budget);
        this.inFlight = new InFlightLimitInterceptor(maxInFlightPerModel, b.adaptiveConcurrency, b.clock);
        List<Interceptor> chain = new ArrayList<>();
        chain.add(new RetryInterceptor(retryPolicy, b.sleeper, b.random, usage, closed::get));
        // the in-flight permit first; the budget once it is held; the per-minute slot last, see each class
        chain.add(inFlight);
        if (budget != null) {
            chain.add(new SpendLimitInterceptor(budget));
        }
        if (b.requestsPerMinute > 0) {
            chain.add(new RateLimitInterceptor(new RpmLimiter(b.requestsPerMinute, b.clock, b.sleeper)));
        }
        chain.add(new EndpointInterceptor(pool));
        chain.add(auth);
        chain.add(http);
        this.interceptors = List.copyOf(chain);
        this.answers = new JsonAnswers(secrets, b.clock, usage);
        this.streams = new StreamedChat(answers, usage, secrets, b.clock, b.streamIdleTimeout);
        this.embeddings = new EmbeddingBatches(answers, usage, secrets);
        this.ownExecutor = b.executor == null ? AsyncCall.ownThreads() : null;
        this.asyncExecutor = b.executor != null ? b.executor : ownExecutor;
    }

    public static Builder builder() {
        return new GlmClientBuilder();
    }

    /**
     * A builder configured from the {@code glm-*} provider's options (the {@code model.options} of a pipeline spec,
     * references already resolved), exactly as the provider configures its own client: for code that needs the
     * client beside a pipeline, such as an optimiser's text generator.
     *
     * @throws IllegalArgumentException naming an unknown or bad option, never its value
     */
    public static Builder builderFromOptions(Map<String, String> options) {
        return new io.openautoglm.glm.internal.ProviderOptions(options).clientBuilder(System::getenv);
    }

    /** Sends a chat request and waits for the answer. */
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        return chat(request, false, null, null, null);
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
        return AsyncCall.submit(
                executor, request.model(), closed::get, cancellation -> chat(request, false, null, cancellation, null));
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
        return chat(request, true, onDelta, null, null);
    }

    private ChatResponse chat(
            ChatRequest request,
            boolean stream,
            Consumer<ChatDelta> onDelta,
            Cancellation cancellation,
            Consumer<ChatResponse> unfinishedAnswers) {
        ResponseReader<ChatResponse> reader = stream
                ? (response, ep, delivered) -> streams.read(request, response, ep, onDelta, delivered)
                : (response, ep, delivered) -> answers.chat(request, response, ep);
        byte[] body = Json.bytes(Json.chatBody(request, stream));
        return RealChain.run(
                interceptors,
                GlmRequest.of(request.model(), "chat/completions", body, stream),
                new GlmCall<>(reader, cancellation, unfinishedAnswers));
    }

    /**
     * Embeds texts. Long lists are split into requests within GLM's limits and the vectors come back in input
     * order, with the usage of all requests added up.
     */
    public EmbeddingResponse embed(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        List<EmbeddingResponse> parts = new ArrayList<>();
        for (List<String> batch : EmbeddingBatches.split(request)) {
            byte[] body = Json.bytes(EmbeddingBatches.body(request, batch));
            parts.add(RealChain.run(
                    interceptors,
                    GlmRequest.of(request.model(), "embeddings", body, false),
                    new GlmCall<>((response, ep, d) -> embeddings.read(request, batch, response, ep))));
        }
        return EmbeddingBatches.join(request.model(), parts);
    }

    /** What this client has consumed so far. */
    public UsageTotals usage() {
        return usage.totals();
    }

    /** The current in-flight limit for a model: the configured maximum, or less after rate-limit answers. */
    public int inFlightLimit(String model) {
        return inFlight.limiter(model).limit();
    }

    /** Whether each endpoint is currently in rotation, by endpoint name. */
    public Map<String, Boolean> endpointHealth() {
        return pool.health();
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public PriceTable priceTable() {
        return priceTable;
    }

    /** The budget, or {@code null} when spending is not capped. */
    public SpendLimit budget() {
        return budget;
    }

    public int maxInFlightPerModel() {
        return maxInFlightPerModel;
    }

    /** Releases connections and the client's own threads. Calls made after this fail. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
            }
            http.evictConnections();
        }
    }

    @Override
    public String toString() {
        return "GlmClient[endpoints=" + endpoints + ", auth=" + authMode + ", maxInFlightPerModel="
                + maxInFlightPerModel + ", " + retryPolicy + "]";
    }

    /**
     * Builds a {@link GlmClient}. Everything is optional: with nothing set, the key comes from
     * {@code ZHIPUAI_API_KEY} and the base URL from {@code ZHIPUAI_BASE_URL} or {@link Endpoint#BIGMODEL}.
     */
    public sealed interface Builder permits GlmClientBuilder {

        /** The API key for endpoints that have none of their own; else {@code ZHIPUAI_API_KEY} is read. */
        Builder apiKey(String value);

        /** The base URL when no {@link #endpoint} is given; else {@code ZHIPUAI_BASE_URL}, else BigModel's. */
        Builder baseUrl(String value);

        /** Adds an endpoint; with several, see {@link Endpoint} for how they share the load. */
        Builder endpoint(Endpoint value);

        Builder authMode(AuthMode value);

        /** Allows plain {@code http://} to hosts other than loopback. The key then travels unencrypted. */
        Builder allowInsecureHttp(boolean value);

        /** Where environment variables are read; for tests. */
        Builder environment(Function<String, String> value);

        Builder retryPolicy(RetryPolicy value);

        /** Requests in flight per model at most (GLM limits concurrency per model); default 8. */
        Builder maxInFlightPerModel(int value);

        /** Whether the in-flight limit is halved on 1302/1305 and grows back on success (default true). */
        Builder adaptiveConcurrency(boolean value);

        /** A cap on requests per minute over all models, 0 for none (the default). */
        Builder requestsPerMinute(int value);

        Builder connectTimeout(Duration value);

        /** The longest wait for any one read of a response. */
        Builder readTimeout(Duration value);

        /**
         * The longest one attempt of a blocking call may take, from connecting to the end of the body. Streams are
         * bounded by {@link #streamIdleTimeout} instead, however long they keep sending.
         */
        Builder callTimeout(Duration value);

        /** The idle watchdog of streams: a stream that sends nothing for this long is ended. */
        Builder streamIdleTimeout(Duration value);

        Builder priceTable(PriceTable value);

        Builder budget(SpendLimit value);

        /** The executor of {@link GlmClient#chatAsync(ChatRequest)}; default the client's own daemon threads. */
        Builder executor(Executor value);

        Builder clock(Clock value);

        Builder sleeper(Sleeper value);

        /** The source of jitter and of weighted endpoint choice; used from many threads, so it must be thread-safe. */
        Builder random(RandomGenerator value);

        /** Consecutive failures that take an endpoint out (default 3). */
        Builder endpointFailureThreshold(int value);

        /** How long an endpoint stays out before a probe (default 30 s). */
        Builder endpointCooldown(Duration value);

        /** Lifetime of a JWT (default 30 min); it is renewed a minute before it expires. */
        Builder jwtTtl(Duration value);

        GlmClient build();
    }

    /** Unwraps the {@link GlmException} from an async failure; for callers of {@code join()}. */
    public static RuntimeException unwrap(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof RuntimeException re ? re : new CompletionException(c);
    }
}

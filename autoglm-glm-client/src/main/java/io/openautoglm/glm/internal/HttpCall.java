package io.openautoglm.glm.internal;

import io.openautoglm.glm.Endpoint;
import io.openautoglm.glm.GlmNetworkException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The end of the chain: sends the attempt over HTTP to its endpoint and answers with what the call's
 * {@link ResponseReader} reads from a successful response. An unsuccessful status becomes the exception
 * {@link ErrorMapper} chooses; a connection failure, timeout or reset a {@link GlmNetworkException} naming the
 * endpoint; an interrupted read a non-retriable "interrupted". Blocking calls use {@code http}, streams
 * {@code streamHttp} (whose read timeout is the stream idle watchdog). Never proceeds. Thread-safe.
 */
public final class HttpCall implements Interceptor {
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient http;
    private final OkHttpClient streamHttp;
    private final Secrets secrets;
    private final Clock clock;

    /**
     * The HTTP end of a client's chain with its own connection pool, sized for {@code maxConnections} idle
     * connections. OkHttp's own retries and redirects are off: a resent request may be one already paid for, and
     * the retry policy is the client's ({@link RetryInterceptor}).
     *
     * @param callTimeout one whole attempt of a blocking call; streams have none, since a long answer that keeps
     *                    arriving is fine: {@code streamIdleTimeout}, their read timeout, is their watchdog
     */
    public static HttpCall create(
            int maxConnections,
            Duration connectTimeout,
            Duration readTimeout,
            Duration callTimeout,
            Duration streamIdleTimeout,
            Secrets secrets,
            Clock clock) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(maxConnections, 5, TimeUnit.MINUTES))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
        OkHttpClient streamHttp = http.newBuilder()
                .readTimeout(streamIdleTimeout)
                .callTimeout(Duration.ZERO)
                .build();
        return new HttpCall(http, streamHttp, secrets, clock);
    }

    public HttpCall(OkHttpClient http, OkHttpClient streamHttp, Secrets secrets, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.streamHttp = Objects.requireNonNull(streamHttp, "streamHttp");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public <T> T intercept(Chain<T> chain) {
        GlmRequest r = chain.request();
        Endpoint ep = r.endpoint();
        if (ep == null) {
            throw new IllegalStateException(
                    "HttpCall got a request without an endpoint: EndpointInterceptor must " + "come before it");
        }
        Request.Builder b = new Request.Builder()
                .url(HttpUrl.get(ep.baseUrl()).resolve(r.path()))
                .header("Accept", r.stream() ? "text/event-stream" : "application/json")
                .post(RequestBody.create(r.body(), JSON_TYPE));
        r.headers().forEach(b::header);
        Call call = (r.stream() ? streamHttp : http).newCall(b.build());
        chain.call().track(call);
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw ErrorMapper.map(
                        response.code(),
                        bodyText(response),
                        response.header("Retry-After"),
                        "endpoint " + ep.name() + ", model " + r.model(),
                        secrets,
                        clock);
            }
            return chain.call().reader().read(response, ep, chain.call().delivered());
        } catch (IOException e) {
            if (e instanceof InterruptedIOException
                    && !(e instanceof SocketTimeoutException)
                    && Thread.currentThread().isInterrupted()) {
                throw CallFailures.interrupted(r.model(), e);
            }
            String what = e instanceof SocketTimeoutException ? "timed out (" + e.getMessage() + ")" : e.toString();
            throw new GlmNetworkException(
                    secrets.redact("GLM call to " + r.model() + " from endpoint " + ep.name() + " failed: " + what), e);
        }
    }

    /** Closes the idle connections; calls made after this open new ones. */
    public void evictConnections() {
        http.connectionPool().evictAll();
    }

    /** The whole body as text, empty when there is none. */
    static String bodyText(Response response) throws IOException {
        ResponseBody b = response.body();
        return b == null ? "" : b.string();
    }
}

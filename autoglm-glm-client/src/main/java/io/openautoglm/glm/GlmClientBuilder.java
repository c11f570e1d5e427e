package io.openautoglm.glm;

import io.openautoglm.glm.internal.Endpoints;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** The one {@link GlmClient.Builder}: the settings, checked as they are set, and read by the client's constructor. */
final class GlmClientBuilder implements GlmClient.Builder {
    String apiKey;
    String baseUrl;
    final List<Endpoint> endpoints = new ArrayList<>();
    AuthMode authMode = AuthMode.API_KEY;
    boolean allowInsecureHttp;
    Function<String, String> environment = System::getenv;
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    int maxInFlightPerModel = 8;
    boolean adaptiveConcurrency = true;
    int requestsPerMinute;
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration readTimeout = Duration.ofSeconds(60);
    Duration callTimeout = Duration.ofSeconds(120);
    Duration streamIdleTimeout = Duration.ofSeconds(30);
    PriceTable priceTable = PriceTable.defaults();
    SpendLimit budget;
    Executor executor;
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.SYSTEM;
    // Each call draws from its own thread's generator: no contention, no shared unsynchronised state.
    RandomGenerator random =
            () -> java.util.concurrent.ThreadLocalRandom.current().nextLong();
    int failureThreshold = 3;
    Duration endpointCooldown = Duration.ofSeconds(30);
    Duration jwtTtl = Duration.ofMinutes(30);

    @Override
    public GlmClientBuilder apiKey(String value) {
        this.apiKey = value;
        return this;
    }

    @Override
    public GlmClientBuilder baseUrl(String value) {
        this.baseUrl = value;
        return this;
    }

    @Override
    public GlmClientBuilder endpoint(Endpoint value) {
        endpoints.add(Objects.requireNonNull(value, "endpoint"));
        return this;
    }

    @Override
    public GlmClientBuilder authMode(AuthMode value) {
        this.authMode = Objects.requireNonNull(value, "authMode");
        return this;
    }

    @Override
    public GlmClientBuilder allowInsecureHttp(boolean value) {
        this.allowInsecureHttp = value;
        return this;
    }

    @Override
    public GlmClientBuilder environment(Function<String, String> value) {
        this.environment = Objects.requireNonNull(value, "environment");
        return this;
    }

    @Override
    public GlmClientBuilder retryPolicy(RetryPolicy value) {
        this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
        return this;
    }

    @Override
    public GlmClientBuilder maxInFlightPerModel(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("maxInFlightPerModel: must be at least 1, got " + value);
        }
        this.maxInFlightPerModel = value;
        return this;
    }

    @Override
    public GlmClientBuilder adaptiveConcurrency(boolean value) {
        this.adaptiveConcurrency = value;
        return this;
    }

    @Override
    public GlmClientBuilder requestsPerMinute(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("requestsPerMinute: must be 0 (no limit) or more, got " + value);
        }
        this.requestsPerMinute = value;
        return this;
    }

    @Override
    public GlmClientBuilder connectTimeout(Duration value) {
        this.connectTimeout = positive("connectTimeout", value);
        return this;
    }

    @Override
    public GlmClientBuilder readTimeout(Duration value) {
        this.readTimeout = positive("readTimeout", value);
        return this;
    }

    @Override
    public GlmClientBuilder callTimeout(Duration value) {
        this.callTimeout = positive("callTimeout", value);
        return this;
    }

    @Override
    public GlmClientBuilder streamIdleTimeout(Duration value) {
        this.streamIdleTimeout = positive("streamIdleTimeout", value);
        return this;
    }

    @Override
    public GlmClientBuilder priceTable(PriceTable value) {
        this.priceTable = Objects.requireNonNull(value, "priceTable");
        return this;
    }

    @Override
    public GlmClientBuilder budget(SpendLimit value) {
        this.budget = value;
        return this;
    }

    @Override
    public GlmClientBuilder executor(Executor value) {
        this.executor = value;
        return this;
    }

    @Override
    public GlmClientBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    @Override
    public GlmClientBuilder sleeper(Sleeper value) {
        this.sleeper = Objects.requireNonNull(value, "sleeper");
        return this;
    }

    @Override
    public GlmClientBuilder random(RandomGenerator value) {
        this.random = Objects.requireNonNull(value, "random");
        return this;
    }

    @Override
    public GlmClientBuilder endpointFailureThreshold(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("endpointFailureThreshold: must be at least 1, got " + value);
        }
        this.failureThreshold = value;
        return this;
    }

    @Override
    public GlmClientBuilder endpointCooldown(Duration value) {
        this.endpointCooldown = positive("endpointCooldown", value);
        return this;
    }

    @Override
    public GlmClientBuilder jwtTtl(Duration value) {
        Duration d = positive("jwtTtl", value);
        if (d.compareTo(Duration.ofMinutes(2)) < 0) {
            throw new IllegalArgumentException("jwtTtl: must be at least 2 minutes, got " + d);
        }
        this.jwtTtl = d;
        return this;
    }

    @Override
    public GlmClient build() {
        List<Endpoint> list = Endpoints.resolve(
                endpoints,
                apiKey != null ? apiKey : environment.apply(GlmClient.ENV_API_KEY),
                baseUrl != null ? baseUrl : environment.apply(GlmClient.ENV_BASE_URL),
                allowInsecureHttp,
                "pass GlmClient.builder().apiKey(...) or set " + GlmClient.ENV_API_KEY);
        if (!callTimeout.isZero() && callTimeout.compareTo(readTimeout) < 0) {
            throw new IllegalArgumentException(
                    "callTimeout: must not be shorter than readTimeout " + readTimeout + ", got " + callTimeout);
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

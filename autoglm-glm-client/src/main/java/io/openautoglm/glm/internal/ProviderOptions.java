package io.openautoglm.glm.internal;

import io.openautoglm.glm.AuthMode;
import io.openautoglm.glm.SpendLimit;
import io.openautoglm.glm.Endpoint;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.glm.PriceTable;
import io.openautoglm.glm.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code glm} provider's options, as passed with {@code TaskPipeline.builder().modelOption(key, value)}. Values
 * are never logged; error messages name the key and, except for secrets, the value.
 */
public final class ProviderOptions {
    /** Every key the provider reads; anything else is refused so that a misspelt key does not go unnoticed. */
    public static final List<String> KEYS = List.of("apiKey", "baseUrl", "backupBaseUrl", "backupApiKey", "authMode",
            "allowInsecureHttp", "maxInFlight", "requestsPerMinute", "maxAttempts", "connectTimeoutMs",
            "readTimeoutMs", "callTimeoutMs", "streamIdleTimeoutMs", "stream", "temperature", "maxTokens", "system",
            "journal", "cache", "budget", "budgetTokens", "currency", "prices");
    private static final List<String> SECRET_KEYS = List.of("apiKey", "backupApiKey");

    final Map<String, String> values;

    public ProviderOptions(Map<String, String> options) {
        this.values = Map.copyOf(options);
        for (String k : values.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("modelOption '" + k + "' is not a glm provider option; known: "
                        + String.join(", ", KEYS));
            }
        }
    }

    public String get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    public boolean flag(String key, boolean fallback) {
        String v = get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("modelOption " + key + ": expected true or false, got '" + v + "'");
        };
    }

    public Integer integer(String key, int min) {
        Long n = wholeNumber(key, min);
        if (n != null && n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("modelOption " + key + ": must be at most " + Integer.MAX_VALUE
                    + ", got " + n);
        }
        return n == null ? null : n.intValue();
    }

    /** As {@link #integer}, for values past the range of an int (token budgets). */
    public Long wholeNumber(String key, long min) {
        String v = get(key);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min) {
                throw new IllegalArgumentException("modelOption " + key + ": must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("modelOption " + key + ": expected a whole number, got '" + v + "'");
        }
    }

    public Double number(String key) {
        String v = get(key);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("modelOption " + key + ": expected a number, got '" + v + "'");
        }
    }

    public Path path(String key) {
        String v = get(key);
        return v == null ? null : Path.of(v);
    }

    public boolean stream() {
        return flag("stream", false);
    }

    /** The client these options describe. */
    public GlmClient.Builder clientBuilder(Function<String, String> environment) {
        GlmClient.Builder b = GlmClient.builder().environment(environment);
        if (get("apiKey") != null) {
            b.apiKey(get("apiKey"));
        }
        String base = get("baseUrl") != null ? get("baseUrl") : environment.apply(GlmClient.ENV_BASE_URL);
        if (get("backupBaseUrl") != null) {
            b.endpoint(Endpoint.builder().name("primary").baseUrl(base != null ? base : Endpoint.BIGMODEL).build());
            Endpoint.Builder backup = Endpoint.builder().name("backup").baseUrl(get("backupBaseUrl")).backup(true);
            if (get("backupApiKey") != null) {
                backup.apiKey(get("backupApiKey"));
            }
            b.endpoint(backup.build());
        } else if (base != null) {
            b.baseUrl(base);
        }
        if (get("authMode") != null) {
            String m = get("authMode").toLowerCase(Locale.ROOT);
            b.authMode(switch (m) {
                case "jwt" -> AuthMode.JWT;
                case "apikey", "api_key", "key" -> AuthMode.API_KEY;
                default -> throw new IllegalArgumentException("modelOption authMode: expected apiKey or jwt, got '"
                        + get("authMode") + "'");
            });
        }
        b.allowInsecureHttp(flag("allowInsecureHttp", false));
        if (integer("maxInFlight", 1) != null) {
            b.maxInFlightPerModel(integer("maxInFlight", 1));
        }
        if (integer("requestsPerMinute", 0) != null) {
            b.requestsPerMinute(integer("requestsPerMinute", 0));
        }
        if (integer("maxAttempts", 1) != null) {
            b.retryPolicy(RetryPolicy.defaults().toBuilder().maxAttempts(integer("maxAttempts", 1)).build());
        }
        if (integer("connectTimeoutMs", 1) != null) {
            b.connectTimeout(Duration.ofMillis(integer("connectTimeoutMs", 1)));
        }
        if (integer("readTimeoutMs", 1) != null) {
            b.readTimeout(Duration.ofMillis(integer("readTimeoutMs", 1)));
        }
        if (integer("callTimeoutMs", 1) != null) {
            b.callTimeout(Duration.ofMillis(integer("callTimeoutMs", 1)));
        }
        if (integer("streamIdleTimeoutMs", 1) != null) {
            b.streamIdleTimeout(Duration.ofMillis(integer("streamIdleTimeoutMs", 1)));
        }
        Double budget = number("budget");
        if (budget != null && !(budget > 0)) {
            throw new IllegalArgumentException("modelOption budget: must be a positive amount, got " + budget);
        }
        Long budgetTokens = wholeNumber("budgetTokens", 1);
        if (budget != null || budgetTokens != null) {
            b.budget(SpendLimit.of(budget == null ? Double.POSITIVE_INFINITY : budget,
                    budgetTokens == null ? Long.MAX_VALUE : budgetTokens));
        }
        if (get("prices") != null) {
            b.priceTable(prices(get("prices"), get("currency") == null ? "CNY" : get("currency")));
        }
        return b;
    }

    /** Reads {@code glm-4-plus=5:5,glm-4-air=0.5:0.5} (input:output per million tokens). */
    static PriceTable prices(String spec, String currency) {
        PriceTable.Builder t = PriceTable.builder(currency);
        for (String entry : spec.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            int colon = e.indexOf(':', eq + 1);
            try {
                if (eq <= 0 || colon < 0) {
                    throw new NumberFormatException();
                }
                t.price(e.substring(0, eq).strip(), Double.parseDouble(e.substring(eq + 1, colon)),
                        Double.parseDouble(e.substring(colon + 1)));
            } catch (NumberFormatException bad) {
                throw new IllegalArgumentException("modelOption prices: expected model=input:output per million tokens, "
                        + "e.g. glm-4-plus=5:5, got '" + e + "'");
            }
        }
        return t.build();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProviderOptions{");
        values.forEach((k, v) -> sb.append(k).append('=').append(SECRET_KEYS.contains(k) ? "<redacted>" : v).append(", "));
        return sb.append('}').toString();
    }
}

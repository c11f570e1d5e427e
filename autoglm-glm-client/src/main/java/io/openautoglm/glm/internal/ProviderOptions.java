package io.openautoglm.glm.internal;

import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.glm.AuthMode;
import io.openautoglm.glm.Endpoint;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.glm.PriceTable;
import io.openautoglm.glm.RetryPolicy;
import io.openautoglm.glm.SpendLimit;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code glm} provider's options, as passed with {@code TaskPipeline.builder().modelOption(key, value)}, read
 * with {@link OptionReader} (kind {@code glm model option}). A blank value counts as not given. Values are never
 * logged, and error messages name the key, never the value.
 */
public final class ProviderOptions {
    /** Every key the provider reads; anything else is refused so that a misspelt key does not go unnoticed. */
    public static final List<String> KEYS = List.of(
            "apiKey",
            "baseUrl",
            "backupBaseUrl",
            "backupApiKey",
            "authMode",
            "allowInsecureHttp",
            "maxInFlight",
            "requestsPerMinute",
            "maxAttempts",
            "connectTimeoutMs",
            "readTimeoutMs",
            "callTimeoutMs",
            "streamIdleTimeoutMs",
            "stream",
            "temperature",
            "maxTokens",
            "system",
            "journal",
            "cache",
            "budget",
            "budgetTokens",
            "currency",
            "prices");
    /** The keys whose values are credentials: see {@link GlmModelProvider#secretOptions()}. */
    public static final Set<String> SECRET_KEYS = Set.of("apiKey", "backupApiKey");

    static final String KIND = "glm model option";

    final Map<String, String> values;
    private final OptionReader options;

    public ProviderOptions(Map<String, String> options) {
        OptionReader.of(KIND, options).requireKnown(Set.copyOf(KEYS));
        this.values = Map.copyOf(options);
        Map<String, String> given = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!v.isBlank()) {
                given.put(k, v);
            }
        });
        this.options = OptionReader.of(KIND, given);
    }

    /** The value, stripped, or {@code null} when absent or blank. */
    public String get(String key) {
        return options.string(key, null);
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean flag(String key, boolean fallback) {
        return options.bool(key, fallback);
    }

    /** An integer of at least {@code min}, or {@code null} when not given. */
    public Integer integer(String key, int min) {
        return options.has(key) ? options.integer(key, min, min, Integer.MAX_VALUE) : null;
    }

    /** As {@link #integer}, for values past the range of an int (token budgets). */
    public Long wholeNumber(String key, long min) {
        return options.has(key) ? options.longValue(key, min, min, Long.MAX_VALUE) : null;
    }

    /** A finite number in {@code [min, max]}, or {@code null} when not given. */
    public Double number(String key, double min, double max) {
        return options.has(key) ? options.decimal(key, min, min, max) : null;
    }

    public Path path(String key) {
        String v = get(key);
        if (v == null) {
            return null;
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) { // its message holds the value
            throw options.invalid(key, "expected a file path");
        }
    }

    public boolean stream() {
        return flag("stream", false);
    }

    /** An error naming the key, never the value. */
    IllegalArgumentException invalid(String key, String problem) {
        return options.invalid(key, problem);
    }

    /** The client these options describe. */
    public GlmClient.Builder clientBuilder(Function<String, String> environment) {
        GlmClient.Builder b = GlmClient.builder().environment(environment);
        if (get("apiKey") != null) {
            b.apiKey(get("apiKey"));
        }
        String base = get("baseUrl") != null ? get("baseUrl") : environment.apply(GlmClient.ENV_BASE_URL);
        if (get("backupBaseUrl") != null) {
            b.endpoint(Endpoint.builder()
                    .name("primary")
                    .baseUrl(base != null ? base : Endpoint.BIGMODEL)
                    .build());
            Endpoint.Builder backup = Endpoint.builder()
                    .name("backup")
                    .baseUrl(get("backupBaseUrl"))
                    .backup(true);
            if (get("backupApiKey") != null) {
                backup.apiKey(get("backupApiKey"));
            }
            try {
                b.endpoint(backup.build());
            } catch (
                    IllegalArgumentException
                            e) { // names Endpoint's field, baseUrl; never shows a value without a scheme
                throw invalid("backupBaseUrl", e.getMessage().replaceFirst("^baseUrl: ", ""));
            }
        } else if (base != null) {
            b.baseUrl(base);
        }
        String authMode = options.choice("authMode", null, List.of("apiKey", "jwt", "api_key", "key"));
        if (authMode != null) {
            b.authMode(authMode.equals("jwt") ? AuthMode.JWT : AuthMode.API_KEY);
        }
        b.allowInsecureHttp(flag("allowInsecureHttp", false));
        if (integer("maxInFlight", 1) != null) {
            b.maxInFlightPerModel(integer("maxInFlight", 1));
        }
        if (integer("requestsPerMinute", 0) != null) {
            b.requestsPerMinute(integer("requestsPerMinute", 0));
        }
        if (integer("maxAttempts", 1) != null) {
            b.retryPolicy(RetryPolicy.defaults().toBuilder()
                    .maxAttempts(integer("maxAttempts", 1))
                    .build());
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
        Double budget = number("budget", 0, Double.POSITIVE_INFINITY);
        if (budget != null && budget == 0) {
            throw invalid("budget", "expected a positive amount");
        }
        Long budgetTokens = wholeNumber("budgetTokens", 1);
        if (budget != null || budgetTokens != null) {
            b.budget(SpendLimit.of(
                    budget == null ? Double.POSITIVE_INFINITY : budget,
                    budgetTokens == null ? Long.MAX_VALUE : budgetTokens));
        }
        if (get("prices") != null) {
            b.priceTable(prices(get("currency") == null ? "CNY" : get("currency")));
        }
        return b;
    }

    /** Reads {@code prices}: {@code glm-4-plus=5:5,glm-4-air=0.5:0.5} (input:output per million tokens). */
    PriceTable prices(String currency) {
        PriceTable.Builder t = PriceTable.builder(currency);
        String[] entries = get("prices").split(",");
        for (int i = 0; i < entries.length; i++) {
            String e = entries[i].strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            int colon = e.indexOf(':', eq + 1);
            double input = eq <= 0 || colon < 0 ? Double.NaN : price(e.substring(eq + 1, colon));
            double output = eq <= 0 || colon < 0 ? Double.NaN : price(e.substring(colon + 1));
            if (!(input >= 0 && output >= 0)) { // NaN too
                throw invalid(
                        "prices",
                        "expected model=input:output per million tokens, two numbers of at least 0, "
                                + "e.g. glm-4-plus=5:5; entry " + (i + 1) + " is not");
            }
            t.price(e.substring(0, eq).strip(), input, output);
        }
        return t.build();
    }

    private static double price(String number) {
        try {
            double d = Double.parseDouble(number.strip());
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProviderOptions{");
        values.forEach((k, v) -> sb.append(k)
                .append('=')
                .append(SECRET_KEYS.contains(k) ? "<redacted>" : v)
                .append(", "));
        return sb.append('}').toString();
    }
}

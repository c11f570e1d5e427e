package io.openautoglm.glm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prices per million tokens, by model, in one currency. A model is looked up by its exact name, then by the
 * longest entry that its name starts with (so {@code glm-4-flash-250414} uses {@code glm-4-flash}); a model in
 * no entry costs 0. Cached prompt tokens are charged at {@code cachedInputPerMillion}. Immutable.
 *
 * <p>Prices change often: {@link #defaults()} holds only the few the reference documents (CNY); pass your own
 * table for real accounting.
 *
 * <pre>{@code
 * PriceTable prices = PriceTable.builder("CNY").price("glm-4-plus", 5.0, 5.0).price("glm-4-air", 0.5, 0.5).build();
 * }</pre>
 */
public final class PriceTable {
    /** The price of one model, per million tokens. */
    public record Price(double inputPerMillion, double outputPerMillion, double cachedInputPerMillion) {
        public Price {
            if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0) || !(cachedInputPerMillion >= 0)) {
                throw new IllegalArgumentException("prices must be non-negative numbers, got input=" + inputPerMillion
                        + " output=" + outputPerMillion + " cachedInput=" + cachedInputPerMillion);
            }
        }
    }

    private static final PriceTable DEFAULTS = builder("CNY")
            .price("glm-4-plus", 5.0, 5.0)
            .price("glm-4-flash", 0, 0)
            .price("glm-4.5-flash", 0, 0)
            .build();
    private static final PriceTable FREE = builder("CNY").build();

    private final String currency;
    private final Map<String, Price> prices;

    private PriceTable(Builder b) {
        this.currency = b.currency;
        this.prices = Map.copyOf(b.prices);
    }

    public static Builder builder(String currency) {
        return new Builder(currency);
    }

    /** The documented CNY prices: glm-4-plus 5 per million tokens; glm-4-flash and glm-4.5-flash free. */
    public static PriceTable defaults() {
        return DEFAULTS;
    }

    /** Everything at zero. */
    public static PriceTable free() {
        return FREE;
    }

    public String currency() {
        return currency;
    }

    public Map<String, Price> prices() {
        return prices;
    }

    /** The price for a model, or {@code null} when the table has none. */
    public Price priceOf(String model) {
        Price exact = prices.get(model);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String key : prices.keySet()) {
            if (model.startsWith(key) && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? null : prices.get(best);
    }

    /** The cost of a call. */
    public double cost(String model, TokenUsage usage) {
        Price p = model == null ? null : priceOf(model);
        if (p == null || usage == null) {
            return 0;
        }
        long cached = Math.min(usage.cachedTokens(), usage.promptTokens());
        return ((usage.promptTokens() - cached) * p.inputPerMillion()
                        + cached * p.cachedInputPerMillion()
                        + usage.completionTokens() * p.outputPerMillion())
                / 1_000_000.0;
    }

    @Override
    public String toString() {
        return "PriceTable[" + currency + ", " + prices + "]";
    }

    /** Builds a {@link PriceTable}. */
    public static final class Builder {
        private final String currency;
        private final Map<String, Price> prices = new LinkedHashMap<>();

        private Builder(String currency) {
            if (currency == null || currency.isBlank()) {
                throw new IllegalArgumentException("currency: required, e.g. CNY or USD, got '" + currency + "'");
            }
            this.currency = currency;
        }

        /** Input and output prices per million tokens; cached input is charged as input. */
        public Builder price(String model, double inputPerMillion, double outputPerMillion) {
            return price(model, new Price(inputPerMillion, outputPerMillion, inputPerMillion));
        }

        public Builder price(String model, Price price) {
            prices.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(price, "price"));
            return this;
        }

        public PriceTable build() {
            return new PriceTable(this);
        }
    }
}

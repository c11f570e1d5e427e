package io.openautoglm.glm;

import java.util.Objects;

/**
 * One place to send requests: a base URL and the API key for it. Several endpoints (open.bigmodel.cn and
 * api.z.ai, or several keys) let the client spread load by {@code weight}, prefer the one with the fewest
 * requests in flight, take failing ones out and probe them back in; {@code backup} endpoints get traffic only
 * while every primary one is out. Immutable. {@link #toString()} never shows the key.
 *
 * <pre>{@code
 * Endpoint china = Endpoint.builder().name("bigmodel").baseUrl(Endpoint.BIGMODEL).apiKey(keyA).weight(3).build();
 * Endpoint intl = Endpoint.builder().name("zai").baseUrl(Endpoint.ZAI).apiKey(keyB).backup(true).build();
 * }</pre>
 */
public final class Endpoint {
    /** Zhipu BigModel's v4 base (CNY billing): the default. */
    public static final String BIGMODEL = "https://open.bigmodel.cn/api/paas/v4/";
    /** Z.ai's v4 base (USD billing). */
    public static final String ZAI = "https://api.z.ai/api/paas/v4/";

    private final String name;
    private final String baseUrl;
    private final String apiKey;
    private final int weight;
    private final boolean backup;

    private Endpoint(Builder b) {
        this.baseUrl = normaliseBase(b.baseUrl);
        this.apiKey = b.apiKey;
        this.name = b.name != null ? b.name : hostOf(baseUrl);
        this.weight = b.weight;
        this.backup = b.backup;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return name;
    }

    /** The base URL, ending in {@code /}; paths such as {@code chat/completions} are appended to it. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The API key. Handle with care: never log it. */
    public String apiKey() {
        return apiKey;
    }

    public int weight() {
        return weight;
    }

    public boolean backup() {
        return backup;
    }

    @Override
    public String toString() {
        return "Endpoint[" + name + ", " + baseUrl + ", weight=" + weight + (backup ? ", backup" : "") + ", apiKey="
                + (apiKey == null ? "none" : "<redacted>") + "]";
    }

    private static String normaliseBase(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("baseUrl: required, e.g. " + BIGMODEL + ", got '" + url + "'");
        }
        String u = url.strip();
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            // a value with no scheme at all may be the API key passed in the wrong place: it is not repeated
            throw new IllegalArgumentException("baseUrl: must start with https:// (or http:// to a local server), got "
                    + (u.contains("://")
                            ? "'" + u + "'"
                            : "a value without a scheme (" + u.length()
                                    + " characters, not shown in case it is a key)"));
        }
        return u.endsWith("/") ? u : u + "/";
    }

    private static String hostOf(String url) {
        String rest = url.substring(url.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** Builds an {@link Endpoint}; only the base URL is required (the key may come from the client builder). */
    public static final class Builder {
        private Builder() {}

        private String name;
        private String baseUrl = BIGMODEL;
        private String apiKey;
        private int weight = 1;
        private boolean backup;

        /** A short name for logs and metrics; defaults to the host. */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder baseUrl(String value) {
            this.baseUrl = value;
            return this;
        }

        /** The key for this endpoint; when unset, the client's key is used. */
        public Builder apiKey(String value) {
            this.apiKey = value;
            return this;
        }

        /** Share of traffic relative to the other endpoints of the same kind (primary or backup). */
        public Builder weight(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("weight: must be at least 1, got " + value);
            }
            this.weight = value;
            return this;
        }

        /** Whether this endpoint is used only while every primary endpoint is out. */
        public Builder backup(boolean value) {
            this.backup = value;
            return this;
        }

        public Endpoint build() {
            Objects.requireNonNull(baseUrl, "baseUrl");
            return new Endpoint(this);
        }
    }
}

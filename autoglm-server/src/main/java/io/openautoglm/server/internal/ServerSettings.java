package io.openautoglm.server.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code autoglm.server.*} properties, each also settable through the environment by Spring's relaxed binding
 * ({@code AUTOGLM_SERVER_JWT_HS256_SECRET}, {@code AUTOGLM_SERVER_RATE_LIMIT_PER_SECOND}, …). Checked when bound;
 * an error names the property, never a secret's value. Immutable.
 *
 * @param jwt             how bearer tokens are checked
 * @param rateLimit       the per-subject token bucket
 * @param bulkhead        how many predictions run at once, and how many may wait
 * @param predict         the synchronous predict endpoint's limits
 * @param maxBodySize     the largest request body accepted
 * @param defaultPipeline whether the embedded default pipeline is served when none is configured
 * @param specDir         the folder that relative paths of specs sent over the API resolve against
 * @param dataDir         the folder that server-side job sources must lie in
 * @param jobsDir         the folder jobs are journaled in, one folder per job
 * @param pipelinesDir    the folder the pipelines registered over the API are kept in, every version of each
 * @param jobs            how many jobs run at once, how many may wait, how large an upload may be
 */
@ConfigurationProperties("autoglm.server")
public record ServerSettings(
        @DefaultValue Jwt jwt,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue Bulkhead bulkhead,
        @DefaultValue Predict predict,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("true") boolean defaultPipeline,
        @DefaultValue(".") Path specDir,
        @DefaultValue("data") Path dataDir,
        @DefaultValue("jobs") Path jobsDir,
        @DefaultValue("pipelines") Path pipelinesDir,
        @DefaultValue Jobs jobs) {

    public ServerSettings {
        if (maxBodySize.toBytes() < 1024) {
            throw new IllegalArgumentException(
                    "autoglm.server.max-body-size: must be at least 1KB, got " + maxBodySize.toBytes() + " bytes");
        }
    }

    /**
     * Bearer tokens: HS256 with a shared secret, or RS256/ES256 with a public key file (PEM); exactly one.
     *
     * @param hs256Secret the HMAC secret, at least 32 bytes of UTF-8; never logged
     * @param publicKey   a PEM file ({@code -----BEGIN PUBLIC KEY-----}) with an RSA key (RS256) or a P-256 EC key
     *                    (ES256)
     * @param rolesClaim  the claim holding the roles, a JSON array of {@code user} and {@code admin}
     * @param issuer      when set, tokens must carry this {@code iss}
     */
    public record Jwt(
            String hs256Secret,
            Path publicKey,
            @DefaultValue("roles") String rolesClaim,
            String issuer) {
        @Override
        public String toString() {
            return "Jwt[hs256Secret=" + (hs256Secret == null ? "unset" : "(set, hidden)") + ", publicKey=" + publicKey
                    + ", rolesClaim=" + rolesClaim + ", issuer=" + issuer + "]";
        }
    }

    /**
     * A token bucket per subject (the token's {@code sub}): {@code burst} requests at once, refilled at
     * {@code perSecond}.
     */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("20") double perSecond,
            @DefaultValue("40") int burst) {
        public RateLimit {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException(
                        "autoglm.server.rate-limit.per-second: must be a positive number, got " + perSecond);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("autoglm.server.rate-limit.burst: must be at least 1, got " + burst);
            }
        }
    }

    /**
     * At most {@code maxConcurrent} predictions run at once; up to {@code maxQueued} more wait, each at most
     * {@code maxWait}; any beyond are shed at once with 503.
     */
    public record Bulkhead(
            @DefaultValue("8") int maxConcurrent,
            @DefaultValue("16") int maxQueued,
            @DefaultValue("2s") Duration maxWait) {
        public Bulkhead {
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException(
                        "autoglm.server.bulkhead.max-concurrent: must be at least 1, got " + maxConcurrent);
            }
            if (maxQueued < 0) {
                throw new IllegalArgumentException(
                        "autoglm.server.bulkhead.max-queued: must be at least 0, got " + maxQueued);
            }
        }
    }

    /** @param maxRecords the most records one predict request may hold */
    public record Predict(@DefaultValue("100") int maxRecords) {
        public Predict {
            if (maxRecords < 1) {
                throw new IllegalArgumentException(
                        "autoglm.server.predict.max-records: must be at least 1, got " + maxRecords);
            }
        }
    }

    /**
     * Jobs for whole datasets: at most {@code concurrency} run at once, at most {@code maxQueued} wait for a slot
     * (beyond them, 503); an uploaded source may be at most {@code maxUploadSize}.
     */
    public record Jobs(
            @DefaultValue("2") int concurrency,
            @DefaultValue("100") int maxQueued,
            @DefaultValue("100MB") DataSize maxUploadSize) {
        public Jobs {
            if (concurrency < 1) {
                throw new IllegalArgumentException(
                        "autoglm.server.jobs.concurrency: must be at least 1, got " + concurrency);
            }
            if (maxQueued < 0) {
                throw new IllegalArgumentException(
                        "autoglm.server.jobs.max-queued: must be at least 0, got " + maxQueued);
            }
        }
    }
}

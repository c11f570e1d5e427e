package io.openautoglm.server.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * {@code java -jar autoglm-server.jar token [--sub NAME] [--roles user,admin] [--ttl 1h]}: prints an HS256 bearer
 * token for a server that uses the same secret, read from the environment variable
 * {@code AUTOGLM_SERVER_JWT_HS256_SECRET} (never from the command line, where other users of the machine could see
 * it). For trying the server out; production tokens come from the organisation's identity provider.
 */
public final class TokenCommand {
    static final String SECRET_VARIABLE = "AUTOGLM_SERVER_JWT_HS256_SECRET";

    private TokenCommand() {}

    /** Runs the command; returns the exit code (0, or 2 for a usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(SECRET_VARIABLE), Instant.now(), out, err);
    }

    static int run(String[] args, String secret, Instant now, PrintStream out, PrintStream err) {
        String sub = "autoglm-user";
        List<String> roles = List.of("user");
        Duration ttl = Duration.ofHours(1);
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--sub" -> sub = require(args[i], value);
                    case "--roles" ->
                        roles = Arrays.stream(require(args[i], value).split(","))
                                .map(String::strip)
                                .filter(s -> !s.isEmpty())
                                .toList();
                    case "--ttl" -> ttl = ttl(require(args[i], value));
                    default ->
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + "; usage: token [--sub NAME] [--roles user,admin] [--ttl 1h]");
                }
                i++;
            }
            if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < JwtDecoders.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("set " + SECRET_VARIABLE + " to the server's HS256 secret (at least "
                        + JwtDecoders.MIN_SECRET_BYTES + " bytes), e.g. export " + SECRET_VARIABLE
                        + "=$(openssl rand -base64 48)");
            }
            out.println(mint(secret, sub, roles, now, now.plus(ttl)));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("autoglm-server token: " + e.getMessage());
            return 2;
        }
    }

    /** An HS256 token with {@code sub}, {@code iat}, {@code exp} and {@code roles}. */
    public static String mint(String secret, String sub, List<String> roles, Instant issued, Instant expires) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .subject(sub)
                        .issueTime(Date.from(issued))
                        .expirationTime(Date.from(expires))
                        .claim("roles", roles)
                        .build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static String require(String option, String value) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(option + ": a value is required");
        }
        return value;
    }

    private static Duration ttl(String text) {
        Duration d = io.openautoglm.core.PipelineSpec.parseDuration(text);
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--ttl: expected a duration such as 90s, 20m, 2h or PT1H, got " + text);
        }
        return d;
    }
}

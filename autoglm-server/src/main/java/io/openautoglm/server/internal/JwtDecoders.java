package io.openautoglm.server.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The bearer-token decoder from {@code autoglm.server.jwt.*}: HS256 with a shared secret, or RS256/ES256 with a PEM
 * public key. Tokens must be signed with that algorithm, carry {@code exp}, and be within their time window (60 s of
 * clock skew), and carry {@code iss} when an issuer is set. Errors name the property, never a secret.
 */
public final class JwtDecoders {
    /** HS256 needs a key of at least 256 bits. */
    static final int MIN_SECRET_BYTES = 32;

    private JwtDecoders() {}

    public static JwtDecoder from(ServerSettings.Jwt jwt) {
        boolean secret = jwt.hs256Secret() != null && !jwt.hs256Secret().isBlank();
        boolean key = jwt.publicKey() != null;
        if (secret == key) {
            throw new IllegalStateException(
                    secret
                            ? "autoglm.server.jwt: set either hs256-secret or public-key, not both"
                            : "autoglm.server.jwt: bearer tokens need a key: set autoglm.server.jwt.hs256-secret (at "
                                    + "least 32 bytes; environment AUTOGLM_SERVER_JWT_HS256_SECRET) or "
                                    + "autoglm.server.jwt.public-key (a PEM public key file, RS256 or ES256)");
        }
        NimbusJwtDecoder decoder = secret ? hs256(jwt.hs256Secret()) : publicKey(jwt);
        decoder.setJwtValidator(validator(jwt.issuer()));
        return decoder;
    }

    private static NimbusJwtDecoder hs256(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("autoglm.server.jwt.hs256-secret: must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256, got " + bytes.length + " (e.g. openssl rand -base64 48)");
        }
        return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(bytes, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
    }

    private static NimbusJwtDecoder publicKey(ServerSettings.Jwt jwt) {
        PublicKey key = readPem(jwt);
        if (key instanceof RSAPublicKey rsa) {
            return NimbusJwtDecoder.withPublicKey(rsa)
                    .signatureAlgorithm(SignatureAlgorithm.RS256)
                    .build();
        }
        if (key instanceof ECPublicKey ec) {
            ECKey jwk = new ECKey.Builder(Curve.P_256, ec).build();
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(
                    new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(new JWKSet(jwk))));
            // the claims are checked by Spring's validators, as for the other keys
            processor.setJWTClaimsSetVerifier((claims, context) -> {});
            return new NimbusJwtDecoder(processor);
        }
        throw new IllegalStateException(
                "autoglm.server.jwt.public-key: " + jwt.publicKey() + " holds neither an RSA nor an EC public key");
    }

    private static PublicKey readPem(ServerSettings.Jwt jwt) {
        String pem;
        try {
            pem = Files.readString(jwt.publicKey(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "autoglm.server.jwt.public-key: cannot read " + jwt.publicKey() + ": " + e.getMessage(), e);
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "autoglm.server.jwt.public-key: " + jwt.publicKey() + " is not a PEM public key", e);
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new IllegalStateException("autoglm.server.jwt.public-key: " + jwt.publicKey()
                + " is not an RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----)");
    }

    private static OAuth2TokenValidator<Jwt> validator(String issuer) {
        List<OAuth2TokenValidator<Jwt>> all = new ArrayList<>();
        all.add(
                issuer == null || issuer.isBlank()
                        ? JwtValidators.createDefault()
                        : JwtValidators.createDefaultWithIssuer(issuer));
        all.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
        // the subject names the caller for rate limits and ownership: a token without one is refused (401)
        all.add(new JwtClaimValidator<String>(JwtClaimNames.SUB, s -> s != null && !s.isBlank()));
        return new DelegatingOAuth2TokenValidator<>(all);
    }
}

package io.openautoglm.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** Decoders for each key kind, and the token command that mints HS256 tokens for trying the server out. */
class JwtDecodersTest {
    private static final String SECRET = "unit-test-secret-0123456789-abcdefghij";

    @TempDir
    Path dir;

    private Path pem(KeyPair keys) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return Files.writeString(
                dir.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, Instant exp) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(alg),
                new JWTClaimsSet.Builder()
                        .subject("alice")
                        .expirationTime(Date.from(exp))
                        .claim("roles", List.of("user"))
                        .build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Test
    void rs256TokensAreCheckedWithAnRsaPublicKeyFile() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        JwtDecoder decoder = JwtDecoders.from(new ServerSettings.Jwt(null, pem(keys), "roles", null));
        Jwt jwt = decoder.decode(sign(
                new RSASSASigner(keys.getPrivate()),
                JWSAlgorithm.RS256,
                Instant.now().plusSeconds(60)));
        assertEquals("alice", jwt.getSubject());
        KeyPair other = g.generateKeyPair();
        String forged = sign(
                new RSASSASigner(other.getPrivate()),
                JWSAlgorithm.RS256,
                Instant.now().plusSeconds(60));
        assertThrows(JwtException.class, () -> decoder.decode(forged));
    }

    @Test
    void es256TokensAreCheckedWithAnEcPublicKeyFile() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        JwtDecoder decoder = JwtDecoders.from(new ServerSettings.Jwt(null, pem(keys), "roles", null));
        ECDSASigner signer = new ECDSASigner((ECPrivateKey) keys.getPrivate());
        assertEquals(
                "alice",
                decoder.decode(sign(signer, JWSAlgorithm.ES256, Instant.now().plusSeconds(60)))
                        .getSubject());
        String expired = sign(signer, JWSAlgorithm.ES256, Instant.now().minusSeconds(600));
        JwtException e = assertThrows(JwtException.class, () -> decoder.decode(expired));
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("expired"), e.getMessage());
    }

    @Test
    void aMissingOrShortKeyIsRefusedNamingThePropertyNeverTheValue() {
        var none = assertThrows(
                IllegalStateException.class, () -> JwtDecoders.from(new ServerSettings.Jwt(null, null, "roles", null)));
        assertTrue(none.getMessage().contains("autoglm.server.jwt.hs256-secret"), none.getMessage());
        var shortOne = assertThrows(
                IllegalStateException.class,
                () -> JwtDecoders.from(new ServerSettings.Jwt("PLANTEDSHORT", null, "roles", null)));
        assertTrue(shortOne.getMessage().contains("at least 32 bytes"), shortOne.getMessage());
        assertFalse(shortOne.getMessage().contains("PLANTEDSHORT"), shortOne.getMessage());
        assertFalse(
                new ServerSettings.Jwt(SECRET, null, "roles", null).toString().contains(SECRET));
    }

    @Test
    void theTokenCommandMintsATokenTheServersDecoderAccepts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TokenCommand.run(
                new String[] {"--sub", "bob", "--roles", "user,admin", "--ttl", "10m"},
                SECRET,
                Instant.now(),
                new PrintStream(out),
                new PrintStream(err));
        assertEquals(0, code, err.toString());
        Jwt jwt = JwtDecoders.from(new ServerSettings.Jwt(SECRET, null, "roles", null))
                .decode(out.toString().strip());
        assertEquals("bob", jwt.getSubject());
        assertEquals(List.of("user", "admin"), jwt.getClaimAsStringList("roles"));

        int noSecret = TokenCommand.run(new String[0], null, Instant.now(), new PrintStream(out), new PrintStream(err));
        assertEquals(2, noSecret);
        assertTrue(err.toString().contains(TokenCommand.SECRET_VARIABLE), err.toString());
    }
}

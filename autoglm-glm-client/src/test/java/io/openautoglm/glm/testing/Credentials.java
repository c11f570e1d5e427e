package io.openautoglm.glm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.MockResponse;

/** The server's check of the {@code Authorization} header: the API key itself, or a valid GLM JWT made from it. */
final class Credentials {
    private Credentials() {}

    /**
     * {@code null} when the header is accepted, else the 401 to answer: {@code 1001} no bearer, {@code 1000} a wrong
     * key, {@code 1002} a token that cannot be read, {@code 1004} a bad signature or claims, {@code 1003} expired.
     * With no {@code apiKey}, any bearer is accepted.
     */
    static MockResponse check(String apiKey, String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return Replies.error(401, "1001", "Authentication header is missing");
        }
        if (apiKey == null) {
            return null;
        }
        String token = header.substring(7);
        if (token.equals(apiKey)) {
            return null;
        }
        String[] parts = token.split("\\.");
        int dot = apiKey.indexOf('.');
        if (parts.length != 3 || dot < 0) {
            return Replies.error(401, "1000", "Authentication failed");
        }
        try {
            Base64.Decoder dec = Base64.getUrlDecoder();
            JsonNode head = Replies.JSON.readTree(dec.decode(parts[0]));
            JsonNode claims = Replies.JSON.readTree(dec.decode(parts[1]));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiKey.substring(dot + 1).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8));
            if (!MessageDigest.isEqual(expected, dec.decode(parts[2]))
                    || !"HS256".equals(head.path("alg").asText())
                    || !"SIGN".equals(head.path("sign_type").asText())
                    || !apiKey.substring(0, dot).equals(claims.path("api_key").asText())) {
                return Replies.error(401, "1004", "Token verification failed");
            }
            if (claims.path("exp").asLong() <= System.currentTimeMillis()) {
                return Replies.error(401, "1003", "Token expired");
            }
            return null;
        } catch (Exception e) {
            return Replies.error(401, "1002", "Invalid token");
        }
    }
}

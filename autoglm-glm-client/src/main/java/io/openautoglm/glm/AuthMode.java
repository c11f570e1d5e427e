package io.openautoglm.glm;

/** How the API key is presented. */
public enum AuthMode {
    /** {@code Authorization: Bearer <key>}: what the official SDKs do by default. */
    API_KEY,
    /**
     * A short-lived HS256 JWT made from an {@code id.secret} key: header {@code sign_type: SIGN}, claims
     * {@code api_key}, {@code timestamp} and {@code exp} in epoch milliseconds. The secret never leaves the client.
     */
    JWT
}

package io.openautoglm.glm.internal;

import io.openautoglm.glm.Endpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt's request as it travels down the chain: the model (the unit of rate limiting), the path under the
 * endpoint's base URL, the JSON body, whether an SSE stream is asked for, and what the interceptors add on the way:
 * the endpoint ({@link EndpointInterceptor}) and headers ({@link AuthInterceptor}). Immutable; the {@code with…}
 * methods return a changed copy. {@link #toString()} names the headers but never shows their values.
 */
public record GlmRequest(
        String model, String path, byte[] body, boolean stream, Endpoint endpoint, Map<String, String> headers) {
    public GlmRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** A request not yet given an endpoint or headers. */
    public static GlmRequest of(String model, String path, byte[] body, boolean stream) {
        return new GlmRequest(model, path, body, stream, null, Map.of());
    }

    public GlmRequest withEndpoint(Endpoint value) {
        return new GlmRequest(model, path, body, stream, Objects.requireNonNull(value, "endpoint"), headers);
    }

    /** A copy with the header set, replacing any earlier value of the same name. */
    public GlmRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new GlmRequest(model, path, body, stream, endpoint, h);
    }

    /** The header's value, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String toString() {
        return "GlmRequest[POST " + path + ", model " + model + (stream ? ", stream" : "")
                + (endpoint == null ? "" : ", endpoint " + endpoint.name()) + ", headers " + headers.keySet() + "]";
    }
}

package io.openautoglm.glm.internal;

import io.openautoglm.glm.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/** The endpoints a client is built with, completed and checked: the builder's rules, in one place. */
public final class Endpoints {
    private Endpoints() {}

    /**
     * The endpoints given, each without a key of its own given {@code key}; with none given, one at {@code base}
     * (else {@link Endpoint#BIGMODEL}). Every endpoint must end up with a key, a URL, {@code https://} unless to a
     * loopback address or {@code allowInsecureHttp}, and a name of its own.
     *
     * @param keySource how to tell the user to give a key, for the message when one is missing
     * @throws IllegalArgumentException naming the field; never showing a key
     */
    public static List<Endpoint> resolve(
            List<Endpoint> given, String key, String base, boolean allowInsecureHttp, String keySource) {
        List<Endpoint> list = new ArrayList<>();
        if (given.isEmpty()) {
            list.add(Endpoint.builder()
                    .baseUrl(base == null || base.isBlank() ? Endpoint.BIGMODEL : base)
                    .apiKey(key)
                    .build());
        } else {
            for (Endpoint e : given) {
                list.add(
                        e.apiKey() != null
                                ? e
                                : Endpoint.builder()
                                        .name(e.name())
                                        .baseUrl(e.baseUrl())
                                        .weight(e.weight())
                                        .backup(e.backup())
                                        .apiKey(key)
                                        .build());
            }
        }
        Map<String, Integer> names = new LinkedHashMap<>();
        for (Endpoint e : list) {
            if (e.apiKey() == null || e.apiKey().isBlank()) {
                throw new IllegalArgumentException("apiKey: no API key for endpoint " + e.name() + "; " + keySource);
            }
            HttpUrl url = HttpUrl.parse(e.baseUrl());
            if (url == null) {
                throw new IllegalArgumentException("baseUrl: not a URL: '" + e.baseUrl() + "'");
            }
            if (!url.isHttps() && !allowInsecureHttp && !isLoopback(url.host())) {
                throw new IllegalArgumentException("baseUrl: plain http:// to '" + url.host() + "' is refused "
                        + "because the API key would travel unencrypted; use https:// or allowInsecureHttp(true)");
            }
            if (names.merge(e.name(), 1, Integer::sum) > 1) {
                throw new IllegalArgumentException(
                        "endpoint: the name '" + e.name() + "' is used twice; give each " + "endpoint its own name");
            }
        }
        return List.copyOf(list);
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name other than localhost: never resolved here, so no DNS lookup decides security
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}

package io.openautoglm.glm.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Masks credentials in any text that may reach a log, an exception message or a {@code toString}. */
public final class Secrets {
    public static final String MASK = "***";
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+");

    private final List<String> secrets;

    /** Masks the given keys, and each half of an {@code id.secret} key on its own. */
    public Secrets(Collection<String> keys) {
        List<String> all = new ArrayList<>();
        for (String k : keys) {
            if (k == null || k.length() < 4) {
                continue;
            }
            all.add(k);
            int dot = k.indexOf('.');
            if (dot > 0) {
                // The id half appears in JWT claims and the secret half must never appear; both are masked.
                String id = k.substring(0, dot);
                String secret = k.substring(dot + 1);
                if (id.length() >= 6) {
                    all.add(id);
                }
                if (secret.length() >= 6) {
                    all.add(secret);
                }
            }
        }
        all.sort((a, b) -> b.length() - a.length());
        this.secrets = List.copyOf(all);
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        out = BEARER.matcher(out).replaceAll("$1" + MASK);
        return JWT.matcher(out).replaceAll(MASK);
    }
}

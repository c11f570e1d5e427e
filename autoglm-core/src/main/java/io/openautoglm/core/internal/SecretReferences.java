package io.openautoglm.core.internal;

import io.openautoglm.core.AutoGlmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret references, {@code ${env:NAME}} and {@code ${file:/path}}: the only form in which a spec may name a
 * secret. Errors name the option and the variable or file, never a value.
 */
public final class SecretReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    /** Option names that hold credentials whatever the provider says. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(api[-_]?key|secret|passw(or)?d|credential).*"
            + "|(.*(access|auth|bearer|refresh|session)[-_]?)?token");

    private static final Set<String> ALWAYS = Set.of("apiKey", "backupApiKey");
    /** A password written into a JDBC URL: {@code password=…}, {@code //user:password@host}, Oracle's {@code user/password@}. */
    private static final Pattern PASSWORD_IN_URL = Pattern.compile(
            "(?i)(password|pwd)=[^;&\\s]" + "|//[^/:@\\s;?]*:(?!\\d+;)[^@/\\s]*@|:thin:[^/@\\s]*/[^@\\s]*@");

    private SecretReferences() {}

    /** Whether an option of this name holds a secret: by its name, or because a provider says so. */
    public static boolean isSecretKey(String key, Set<String> providerSecrets) {
        return ALWAYS.contains(key)
                || providerSecrets.contains(key)
                || SECRET_NAME.matcher(key).matches();
    }

    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value.strip()).matches();
    }

    /** The file a {@code ${file:…}} reference names, as written; {@code null} for anything else. */
    public static String fileTarget(String value) {
        Matcher m = REFERENCE.matcher(value == null ? "" : value.strip());
        return m.matches() && m.group(1).equals("file") ? m.group(2).strip() : null;
    }

    /** Whether a JDBC URL carries a password of its own, which a spec must give as a reference instead. */
    public static boolean hasPasswordInUrl(String url) {
        return url != null && PASSWORD_IN_URL.matcher(url).find();
    }

    /** What to write instead of an inline secret, for messages. */
    public static String howToRefer(String key) {
        String env = key.equals("password")
                ? "DB_PASSWORD"
                : key.equals("apiKey") || key.equals("backupApiKey")
                        ? "ZHIPUAI_API_KEY"
                        : key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        return "a spec never stores a secret; write a reference such as \"${env:" + env + "}\" or "
                + "\"${file:/path/to/" + key + "}\"";
    }

    /**
     * The secret a reference points at: an environment variable, or a file's content without its line break.
     * A value that is not a reference is returned as it is (a Java caller's own value).
     *
     * @param what    the option, for messages (e.g. {@code model.options.apiKey})
     * @param baseDir the folder a relative file path resolves against
     */
    private static final long MAX_SECRET_FILE = 64 * 1024;

    public static String resolve(String what, String value, Path baseDir) {
        Matcher m = REFERENCE.matcher(value == null ? "" : value.strip());
        if (!m.matches()) {
            return value;
        }
        String target = m.group(2).strip();
        if (m.group(1).equals("env")) {
            String v = System.getenv(target);
            if (v == null || v.isBlank()) {
                throw new AutoGlmException(what + ": the environment variable " + target + " is not set");
            }
            return v.strip();
        }
        Path file = baseDir.resolve(target);
        try {
            // a key file holds a line: a device or a huge file read whole would take the process down
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_SECRET_FILE) {
                throw new AutoGlmException(
                        what + ": " + file + " is not a regular file of at most " + MAX_SECRET_FILE + " bytes");
            }
            String v = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (v.isEmpty()) {
                throw new AutoGlmException(what + ": the file " + file + " is empty");
            }
            return v;
        } catch (IOException e) {
            throw new AutoGlmException(what + ": cannot read the file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}

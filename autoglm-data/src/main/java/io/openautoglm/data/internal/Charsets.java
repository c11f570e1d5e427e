package io.openautoglm.data.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The message for bytes the chosen charset cannot decode. */
final class Charsets {
    private Charsets() {}

    static String undecodable(long line, Charset charset) {
        String hint = charset.equals(StandardCharsets.UTF_8)
                ? "if the file is in another encoding, say which, e.g. .charset(Charset.forName(\"GBK\"))"
                : "check that the file really is " + charset.name() + ", or set the right one with .charset(...)";
        return "line " + line + " has bytes that are not valid " + charset.name() + "; " + hint;
    }
}

package io.openautoglm.prompt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads proposals out of a generative model's free-text answer. */
final class Proposals {
    private static final Pattern TAGGED =
            Pattern.compile("<INS>(.*?)</INS>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern BULLET = Pattern.compile("^\\s*(?:[-*•·]|\\d+[.)、．]|[（(]\\d+[)）])\\s*");

    private Proposals() {}

    /** Non-empty lines without bullets, numbering or quotes, de-duplicated, at most {@code limit}. */
    static List<String> lines(String answer, int limit) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (answer == null) {
            return List.of();
        }
        for (String line : answer.split("\\R")) {
            String t = unquote(BULLET.matcher(line).replaceFirst("").strip());
            if (!t.isEmpty() && t.length() <= 200) {
                out.add(t);
            }
            if (out.size() == limit) {
                break;
            }
        }
        return List.copyOf(out);
    }

    /** The texts inside {@code <INS>…</INS>} tags, or, when there are none, the answer's lines. */
    static List<String> instructions(String answer, int limit) {
        List<String> out = new ArrayList<>();
        if (answer == null) {
            return out;
        }
        Matcher m = TAGGED.matcher(answer);
        while (m.find() && out.size() < limit) {
            String t = m.group(1).strip();
            if (!t.isEmpty() && !out.contains(t)) {
                out.add(t);
            }
        }
        return out.isEmpty() ? lines(answer, limit) : out;
    }

    private static String unquote(String s) {
        String t = s;
        while (t.length() >= 2
                && "\"'“”「」『』".indexOf(t.charAt(0)) >= 0
                && "\"'“”「」『』".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }
}

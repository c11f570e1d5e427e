package io.openautoglm.core.internal;

import io.openautoglm.core.TextRecord;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills prompt templates. Shared by the three tasks so that placeholders mean the same everywhere. */
final class Prompts {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Prompts() {
    }

    /**
     * Replaces {@code {text}}, {@code {text_b}}, the task's own values and the record's metadata fields.
     * Replacement text is inserted literally, so braces in user text are never read as placeholders.
     * A template without {@code {text}} gets the text appended on its own line.
     */
    static String fill(String template, TextRecord record, Map<String, String> taskValues) {
        StringBuilder out = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        boolean sawText = false;
        while (m.find()) {
            String key = m.group(1);
            String value = switch (key) {
                case "text" -> record.text();
                case "text_b" -> record.textB();
                default -> taskValues.containsKey(key) ? taskValues.get(key) : record.metadata().get(key);
            };
            sawText |= key.equals("text");
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        if (!sawText) {
            out.append('\n').append(record.text());
        }
        // a pair's second text goes in whether or not the template placed the first: dropped, the model would
        // judge a pair it never saw
        if (record.textB() != null && !template.contains("{text_b}")) {
            out.append('\n').append(record.textB());
        }
        return out.toString();
    }

    /** Whether the template is written in Chinese, so the format instruction matches its language. */
    static boolean isChinese(String template) {
        return template.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    /** Strips a Markdown code fence that chat models like to wrap JSON in. */
    static String stripCodeFence(String s) {
        String t = s.strip();
        if (t.startsWith("```")) {
            int firstNewline = t.indexOf('\n');
            int lastFence = t.lastIndexOf("```");
            if (firstNewline > 0 && lastFence > firstNewline) {
                return t.substring(firstNewline + 1, lastFence).strip();
            }
        }
        return t;
    }
}

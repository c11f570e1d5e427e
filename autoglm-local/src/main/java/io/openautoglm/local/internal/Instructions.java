package io.openautoglm.local.internal;

/** Fills a prompt template into the text an embedding model sees, when the user asks for that. */
final class Instructions {
    private Instructions() {
    }

    /** {@code {text}} becomes the text and {@code {labels}} the label list; a template without {@code {text}} is a prefix. */
    static String fill(String template, String text, String labels) {
        String t = template.replace("{labels}", labels);
        return t.contains("{text}") ? t.replace("{text}", text) : t + text;
    }
}

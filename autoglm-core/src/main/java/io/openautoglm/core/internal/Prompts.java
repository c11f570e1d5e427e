package io.openautoglm.core.internal;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextRecord;
import java.util.List;

/**
 * A task's prompt body, rendered through its spec's {@link PromptTemplate}: shared by the three tasks so that
 * placeholders mean the same everywhere. {@code {labels}} and {@code {entity_types}} are the spec's, and
 * {@code {examples}} its examples, read once on first use. A template without {@code {text}} gets the text
 * appended on its own line, and a pair's second text is appended when the template has no {@code {text_b}}:
 * dropped, the model would judge a pair it never saw. Thread-safe.
 */
final class Prompts {
    private final TaskSpec spec;
    private final PromptTemplate template;
    /** The template with {@code {text}} appended when it lacks one. */
    private final PromptTemplate single;
    /** That, with {@code {text_b}} appended when it lacks one: for records that have a second text. */
    private final PromptTemplate pair;

    private volatile List<TextRecord> examples;

    Prompts(TaskSpec spec, String defaultTemplate) {
        this.spec = spec;
        this.template = spec.promptTemplate() != null ? spec.promptTemplate() : PromptTemplate.of(defaultTemplate);
        this.single = appended(template, "text");
        this.pair = appended(single, "text_b");
    }

    private static PromptTemplate appended(PromptTemplate t, String placeholder) {
        return t.uses(placeholder)
                ? t
                : PromptTemplate.builder(t.source() + "\n{" + placeholder + "}")
                        .fields(t.fields())
                        .build();
    }

    /** The template as the spec gives it (or the task's default): its language picks the format instruction's. */
    PromptTemplate template() {
        return template;
    }

    /**
     * The rendered body for one record.
     *
     * @throws IllegalArgumentException when the record lacks a metadata field the template declares, or the second
     *                                  text its {@code {text_b}} asks for; the message names it
     */
    String body(TextRecord record) {
        PromptTemplate t = record.textB() != null ? pair : single;
        return t.render(record, spec.labels(), spec.entityTypes(), t.uses("examples") ? examples() : List.of());
    }

    private List<TextRecord> examples() {
        List<TextRecord> e = examples;
        if (e == null) {
            Dataset d = spec.examples();
            e = d == null ? List.of() : List.copyOf(d.toList());
            examples = e;
        }
        return e;
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

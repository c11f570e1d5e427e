package io.openautoglm.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt template every provider fills, checked when it is built: the core tasks render a generative
 * model's prompt through it, the local engine the text it embeds with {@code useTemplate}, and the prompt
 * optimisers search over it. {@link TaskSpec.Builder#promptTemplate(String)} and
 * {@link TaskPipeline.Builder#promptTemplate(String)} parse a string with these rules.
 *
 * <p>Placeholders: {@code {text}}, {@code {text_b}}, {@code {labels}} (the label names, comma separated),
 * {@code {examples}} (the labelled examples, one text-and-answer block each), {@code {entity_types}} (comma
 * separated), and the metadata fields declared with {@link Builder#field}. Any other name fails at
 * {@link Builder#build()} with that name; a declared field that a record lacks fails at {@link #render} with
 * that name. Write two braces, <code>&#123;&#123;</code> and <code>&#125;&#125;</code>, for a literal one; a
 * lone brace fails at build with its position.
 *
 * <p>Values are inserted in one pass and never re-read, so braces in a user's text (for example a
 * review that contains {@code {text}}) stay literal text; control characters other than line breaks
 * and tabs are removed from inserted values so that they cannot corrupt the prompt.
 *
 * <pre>{@code
 * PromptTemplate t = PromptTemplate.builder("判断{product}评论的情感：{text}\n可选：{labels}\n以 {{\"label\": …}} 回答")
 *         .field("product")
 *         .build();
 * String prompt = t.render(record, labels, List.of());
 * TaskSpec spec = TaskSpec.builder().taskType(TaskType.TEXT_CLASSIFICATION).promptTemplate(t).labels("正面", "负面").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptTemplate {
    /** The placeholders every template may use. */
    public static final Set<String> STANDARD = Set.of("text", "text_b", "labels", "examples", "entity_types");

    private static final Pattern TOKEN = Pattern.compile("\\{\\{|}}|\\{([^{}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String source;
    private final List<String> fields;
    private final List<Part> parts;

    private PromptTemplate(String source, List<String> fields, List<Part> parts) {
        this.source = source;
        this.fields = fields;
        this.parts = parts;
    }

    /** A template that uses only the standard placeholders. */
    public static PromptTemplate of(String template) {
        return builder(template).build();
    }

    public static Builder builder(String template) {
        return new Builder(template);
    }

    /** The template as written. */
    public String source() {
        return source;
    }

    /** The declared metadata fields. */
    public List<String> fields() {
        return fields;
    }

    /** Every placeholder name the template uses, in order of first use. */
    public List<String> placeholders() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p.placeholder) {
                names.add(p.value);
            }
        }
        return List.copyOf(names);
    }

    public boolean uses(String placeholder) {
        return placeholders().contains(placeholder);
    }

    /**
     * Renders the template for one record, with {@code {entity_types}} empty; see
     * {@link #render(TextRecord, List, List, List)}.
     */
    public String render(TextRecord record, List<Label> labels, List<TextRecord> demonstrations) {
        return render(record, labels, List.of(), demonstrations);
    }

    /**
     * Renders the template for one record.
     *
     * @param labels         the label set, listed by name for {@code {labels}}
     * @param entityTypes    the entity types listed for {@code {entity_types}}
     * @param demonstrations labelled records shown for {@code {examples}}
     * @throws IllegalArgumentException when the record lacks a declared metadata field or the
     *                                  {@code {text_b}} the template asks for; the message names it
     */
    public String render(
            TextRecord record, List<Label> labels, List<String> entityTypes, List<TextRecord> demonstrations) {
        Objects.requireNonNull(record, "record");
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (!p.placeholder) {
                out.append(p.value);
                continue;
            }
            out.append(
                    switch (p.value) {
                        case "text" -> clean(record.text());
                        case "text_b" -> {
                            if (record.textB() == null) {
                                throw new IllegalArgumentException(
                                        "template placeholder {text_b}: the record has no second " + "text"
                                                + where(record));
                            }
                            yield clean(record.textB());
                        }
                        case "labels" ->
                            clean(String.join(
                                    ", ", labels.stream().map(Label::name).toList()));
                        case "examples" -> formatDemonstrations(demonstrations, isChinese());
                        case "entity_types" -> clean(String.join(", ", entityTypes));
                        default -> {
                            String v = record.metadata().get(p.value);
                            if (v == null) {
                                throw new IllegalArgumentException(
                                        "template field {" + p.value + "}: the record has no "
                                                + "metadata field '" + p.value + "'" + where(record) + "; it has "
                                                + record.metadata().keySet());
                            }
                            yield clean(v);
                        }
                    });
        }
        return out.toString();
    }

    /** Whether the template is written in Chinese, so that generated parts match its language. */
    public boolean isChinese() {
        return source.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    /**
     * Labelled records as {@code {examples}} shows them: one block per record, its text (or both texts of a
     * pair) then its answer, labelled in Chinese or English; for NER the answer is its entities in the JSON the
     * task asks for.
     */
    public static String formatDemonstrations(List<TextRecord> demonstrations, boolean chinese) {
        StringBuilder sb = new StringBuilder();
        for (TextRecord d : demonstrations) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            if (d.textB() != null) {
                sb.append(chinese ? "文本1：" : "Text 1: ")
                        .append(clean(d.text()))
                        .append('\n')
                        .append(chinese ? "文本2：" : "Text 2: ")
                        .append(clean(d.textB()))
                        .append('\n');
            } else {
                sb.append(chinese ? "文本：" : "Text: ").append(clean(d.text())).append('\n');
            }
            sb.append(chinese ? "答案：" : "Answer: ").append(clean(answer(d))).append('\n');
        }
        return sb.toString();
    }

    /** A demonstration's gold answer: its label, or for NER its entities in the JSON the task asks for. */
    private static String answer(TextRecord d) {
        if (d.label() != null || d.entities() == null) {
            return d.label() == null ? "" : d.label();
        }
        com.fasterxml.jackson.databind.node.ObjectNode root = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode list = root.putArray("entities");
        for (Entity e : d.entities()) {
            list.addObject().put("type", e.type()).put("mention", e.mention());
        }
        return root.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Removes control characters that could break a prompt apart; keeps line breaks and tabs. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints()
                .filter(c -> c == '\n' || c == '\t' || !Character.isISOControl(c))
                .forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static String where(TextRecord r) {
        if (r.source() != null) {
            return " (" + r.source() + ")";
        }
        return r.id() != null ? " (id " + r.id() + ")" : "";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptTemplate t && t.source.equals(source) && t.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + fields.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }

    private record Part(boolean placeholder, String value) {}

    /** Builds a {@link PromptTemplate}; declare each metadata field it uses. */
    public static final class Builder {
        private final String template;
        private final List<String> fields = new ArrayList<>();

        private Builder(String template) {
            this.template = Objects.requireNonNull(template, "template");
        }

        /** Declares a metadata field the template may use as {@code {name}}. */
        public Builder field(String name) {
            Objects.requireNonNull(name, "field");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("field: '" + name + "' is not a valid placeholder name "
                        + "(letters, digits and _; not starting with a digit)");
            }
            if (STANDARD.contains(name)) {
                throw new IllegalArgumentException(
                        "field: '" + name + "' is a standard placeholder; declare only " + "metadata fields");
            }
            if (!fields.contains(name)) {
                fields.add(name);
            }
            return this;
        }

        public Builder fields(List<String> names) {
            names.forEach(this::field);
            return this;
        }

        /**
         * @throws IllegalArgumentException for a blank template, an unknown placeholder (named in the
         *                                  message with the ones allowed) or an unbalanced brace
         */
        public PromptTemplate build() {
            if (template.isBlank()) {
                throw new IllegalArgumentException("template must not be blank");
            }
            List<Part> parts = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            Matcher m = TOKEN.matcher(template);
            int last = 0;
            while (m.find()) {
                literal.append(checkLiteral(template.substring(last, m.start()), last));
                String token = m.group();
                if (token.equals("{{")) {
                    literal.append('{');
                } else if (token.equals("}}")) {
                    literal.append('}');
                } else {
                    String name = m.group(1).strip();
                    if (!STANDARD.contains(name) && !fields.contains(name)) {
                        throw new IllegalArgumentException("template: unknown placeholder {" + name + "} at "
                                + "character " + m.start() + "; allowed are " + new java.util.TreeSet<>(STANDARD)
                                + (fields.isEmpty() ? "" : " and the declared fields " + fields)
                                + ". For a metadata field, declare it: PromptTemplate.builder(template).field(\""
                                + name + "\").build(), and pass that template to promptTemplate(PromptTemplate); for "
                                + "literal braces, write {{ and }}");
                    }
                    if (literal.length() > 0) {
                        parts.add(new Part(false, literal.toString()));
                        literal.setLength(0);
                    }
                    parts.add(new Part(true, name));
                }
                last = m.end();
            }
            literal.append(checkLiteral(template.substring(last), last));
            if (literal.length() > 0) {
                parts.add(new Part(false, literal.toString()));
            }
            return new PromptTemplate(template, List.copyOf(fields), List.copyOf(parts));
        }

        private String checkLiteral(String s, int offset) {
            int i = s.indexOf('{') >= 0 ? s.indexOf('{') : s.indexOf('}');
            if (i >= 0) {
                throw new IllegalArgumentException("template: unbalanced '" + s.charAt(i) + "' at character "
                        + (offset + i) + "; write {{ or }} for a literal brace");
            }
            return s;
        }
    }
}

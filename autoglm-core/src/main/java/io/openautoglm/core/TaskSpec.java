package io.openautoglm.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to do with each record: the task type, the prompt template, the label set (with wording), the
 * entity types, labelled examples for few-shot models, and model-specific options. Immutable; build with
 * {@link #builder()}.
 *
 * <p>The prompt template is a {@link PromptTemplate}, checked when it is set: the placeholders {@code {text}},
 * {@code {text_b}}, {@code {labels}}, {@code {examples}} (the examples below, shown as demonstrations) and
 * {@code {entity_types}}, plus the metadata fields a {@link PromptTemplate} declares; any other placeholder or a
 * lone brace is refused with its name or position, and {@code {{ }}} are literal braces. A template without
 * {@code {text}} gets the text appended on its own line, and a pair's second text is appended when the template
 * has no {@code {text_b}}.
 */
public final class TaskSpec {
    private final TaskType type;
    private final PromptTemplate promptTemplate;
    private final List<Label> labels;
    private final List<String> entityTypes;
    private final Dataset examples;
    private final Map<String, String> options;

    private TaskSpec(Builder b) {
        this.type = Objects.requireNonNull(b.type, "taskType must be set");
        this.promptTemplate = b.promptTemplate;
        this.labels = List.copyOf(b.labels);
        this.entityTypes = List.copyOf(b.entityTypes);
        this.examples = b.examples;
        this.options = Map.copyOf(b.options);
        if (type == TaskType.TEXT_CLASSIFICATION && labels.size() < 2) {
            throw new IllegalArgumentException("labels: a text classification needs at least two labels, got "
                    + labels.stream().map(Label::name).toList());
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Label l : labels) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("labels: '" + l.name() + "' is given twice");
            }
        }
        // checked like labels: a blank or padded type (" LOC" from splitting "PER, LOC") would drop every entity
        // the model finds of that type as "unknown type", silently
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (String t : entityTypes) {
            if (t == null || t.isBlank() || !t.equals(t.strip())) {
                throw new IllegalArgumentException("entityTypes: '" + t + "' is blank or has spaces around it");
            }
            if (!types.add(t)) {
                throw new IllegalArgumentException("entityTypes: '" + t + "' is given twice");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public TaskType type() {
        return type;
    }

    /** The prompt template, or {@code null} for the task's default. */
    public PromptTemplate promptTemplate() {
        return promptTemplate;
    }

    public List<Label> labels() {
        return labels;
    }

    public List<String> labelNames() {
        return labels.stream().map(Label::name).toList();
    }

    public List<String> entityTypes() {
        return entityTypes;
    }

    /** Labelled examples for few-shot learning or calibration, or {@code null}. */
    public Dataset examples() {
        return examples;
    }

    /** Model-specific options, such as {@code threshold} for matching. */
    public Map<String, String> options() {
        return options;
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    public Builder toBuilder() {
        Builder b = new Builder()
                .taskType(type)
                .promptTemplate(promptTemplate)
                .labels(labels)
                .entityTypes(entityTypes)
                .examples(examples);
        b.options.putAll(options);
        return b;
    }

    @Override
    public String toString() {
        return "TaskSpec[" + type + ", labels=" + labelNames() + ", entityTypes=" + entityTypes + ", examples="
                + (examples == null ? "none" : examples.name()) + ", options=" + options + "]";
    }

    /** Builds a {@link TaskSpec}. */
    public static final class Builder {
        private Builder() {}

        private TaskType type;
        private PromptTemplate promptTemplate;
        private final List<Label> labels = new ArrayList<>();
        private final List<String> entityTypes = new ArrayList<>();
        private Dataset examples;
        private final Map<String, String> options = new LinkedHashMap<>();

        public Builder taskType(TaskType type) {
            this.type = type;
            return this;
        }

        /**
         * The prompt template, parsed with the {@link PromptTemplate} rules; {@code null} for the task's default.
         *
         * @throws IllegalArgumentException for an unknown placeholder (named, with how to declare it as a metadata
         *                                  field or write it as literal braces), a lone brace or a blank template
         */
        public Builder promptTemplate(String template) {
            this.promptTemplate = template == null ? null : PromptTemplate.of(template);
            return this;
        }

        /** The prompt template, with any metadata fields it declares; {@code null} for the task's default. */
        public Builder promptTemplate(PromptTemplate template) {
            this.promptTemplate = template;
            return this;
        }

        public Builder labels(String... names) {
            labels.clear();
            Arrays.stream(names).map(Label::of).forEach(labels::add);
            return this;
        }

        public Builder labels(List<Label> list) {
            labels.clear();
            labels.addAll(list);
            return this;
        }

        public Builder entityTypes(List<String> types) {
            entityTypes.clear();
            entityTypes.addAll(types);
            return this;
        }

        public Builder examples(Dataset examples) {
            this.examples = examples;
            return this;
        }

        public Builder option(String key, String value) {
            options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public TaskSpec build() {
            return new TaskSpec(this);
        }
    }
}

package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Label;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.Model;
import io.openautoglm.prompt.internal.SpecJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a prompt optimiser may change, as one value a pipeline can run: the instruction, the wording
 * of each label, the demonstrations, the output format and task options such as {@code threshold}.
 *
 * <p>A spec becomes a core {@link TaskSpec} with {@link #toTaskSpec()}, so it runs on any model
 * provider: the instruction is the prompt template, the label wording is each {@link Label#description()},
 * the demonstrations are the spec's examples (a few-shot head trains on them; a generative model sees
 * them where the instruction says {@code {examples}}), the output format is appended to the instruction.
 *
 * <pre>{@code
 * PromptSpec spec = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
 *         .instruction("判断酒店评论的情感：{text}")
 *         .label("正面", "这家酒店很好，我很满意")
 *         .label("负面", "这家酒店很差，我很失望")
 *         .build();
 * try (TaskPipeline pipeline = spec.applyTo(TaskPipeline.builder().model(model)).build()) {
 *     System.out.println(pipeline.run(dev).summary());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return changed copies.
 */
public final class PromptSpec {
    private final TaskType taskType;
    private final PromptTemplate instruction;
    private final List<Label> labels;
    private final List<String> entityTypes;
    private final List<TextRecord> demonstrations;
    private final String outputFormat;
    private final Map<String, String> options;

    private PromptSpec(Builder b) {
        this.taskType = Objects.requireNonNull(b.taskType, "taskType");
        this.instruction = b.instruction;
        this.labels = List.copyOf(b.labels);
        this.entityTypes = List.copyOf(b.entityTypes);
        this.demonstrations = List.copyOf(b.demonstrations);
        this.outputFormat = b.outputFormat == null || b.outputFormat.isBlank() ? null : b.outputFormat;
        this.options = java.util.Collections.unmodifiableMap(new TreeMap<>(b.options));
        for (TextRecord d : demonstrations) {
            if (!d.hasGold()) {
                throw new IllegalArgumentException("demonstrations: every demonstration needs a gold answer (a label, "
                        + "or gold entities for NER); '" + abbreviate(d.text()) + "' has none");
            }
        }
        // Validates labels and the rest exactly as a pipeline would, so a bad spec fails here.
        toTaskSpec();
    }

    public static Builder builder(TaskType taskType) {
        return new Builder(taskType);
    }

    /**
     * The spec a core task spec describes: its template (with its declared metadata fields) becomes the
     * instruction, its examples the demonstrations.
     */
    public static PromptSpec from(TaskSpec spec) {
        Builder b = builder(spec.type()).labels(spec.labels()).entityTypes(spec.entityTypes())
                .instruction(spec.promptTemplate());
        if (spec.examples() != null) {
            b.demonstrations(spec.examples().toList());
        }
        spec.options().forEach(b::option);
        return b.build();
    }

    /** The spec a pipeline runs; start an optimisation from it. */
    public static PromptSpec from(TaskPipeline pipeline) {
        return from(pipeline.spec());
    }

    public TaskType taskType() { return taskType; }

    /** The instruction template, or {@code null} for the task's default. */
    public PromptTemplate instruction() { return instruction; }

    /** The labels with the wording a model sees for each. */
    public List<Label> labels() { return labels; }

    public List<String> entityTypes() { return entityTypes; }

    /** Labelled records shown to the model or used to train its head; empty for zero-shot. */
    public List<TextRecord> demonstrations() { return demonstrations; }

    /** Text appended to the instruction that fixes the answer's form, or {@code null}. */
    public String outputFormat() { return outputFormat; }

    /** Task options, such as {@code threshold} for matching, in key order. */
    public Map<String, String> options() { return options; }

    /** The core task spec this prompt spec stands for. */
    public TaskSpec toTaskSpec() {
        TaskSpec.Builder b = TaskSpec.builder().taskType(taskType).labels(labels).entityTypes(entityTypes)
                .promptTemplate(taskTemplate())
                .examples(demonstrations.isEmpty() ? null : Dataset.of("demonstrations", demonstrations));
        options.forEach(b::option);
        return b.build();
    }

    /** The instruction with the output format appended as literal text; {@code {examples}} stays for the task. */
    private PromptTemplate taskTemplate() {
        if (outputFormat == null) {
            return instruction;
        }
        String body = instruction == null ? "{text}" : instruction.source();
        return PromptTemplate.builder(body + "\n" + outputFormat.replace("{", "{{").replace("}", "}}"))
                .fields(instruction == null ? List.of() : instruction.fields()).build();
    }

    /** Sets this spec on a pipeline builder: task type, template, labels, entity types, examples, options. */
    public TaskPipeline.Builder applyTo(TaskPipeline.Builder builder) {
        TaskSpec s = toTaskSpec();
        builder.taskType(taskType).promptTemplate(s.promptTemplate()).labels(labels)
                .entityTypes(entityTypes.toArray(String[]::new)).examples(s.examples());
        options.forEach(builder::option);
        return builder;
    }

    /** A pipeline that runs this spec on an open model, which stays the caller's to close. */
    public TaskPipeline pipeline(Model openModel) {
        return applyTo(TaskPipeline.builder().model(openModel)).build();
    }

    /** The full prompt a generative model receives for the record, output format included. */
    public String render(TextRecord record) {
        return Task.of(toTaskSpec()).renderPrompt(record);
    }

    /** A multi-line description: the instruction, label wording, demonstrations, options and a full prompt. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("task: ").append(taskType).append('\n');
        sb.append("instruction: ").append(instruction == null ? "(task default)" : instruction.source()).append('\n');
        if (!labels.isEmpty()) {
            sb.append("labels:\n");
            labels.forEach(l -> sb.append("  ").append(l.name()).append(" -> ").append(l.description()).append('\n'));
        }
        if (outputFormat != null) {
            sb.append("output format: ").append(outputFormat).append('\n');
        }
        sb.append("demonstrations: ").append(demonstrations.size()).append('\n');
        for (TextRecord d : demonstrations) {
            sb.append("  [").append(d.label()).append("] ").append(abbreviate(d.text()));
            if (d.textB() != null) {
                sb.append(" || ").append(abbreviate(d.textB()));
            }
            sb.append('\n');
        }
        if (!options.isEmpty()) {
            sb.append("options: ").append(options).append('\n');
        }
        TextRecord sample = taskType == TaskType.SEMANTIC_MATCHING ? TextRecord.pair("{text}", "{text_b}", null)
                : TextRecord.of("{text}");
        sb.append("full prompt (for a generative model):\n").append(renderSample(sample));
        return sb.toString();
    }

    private String renderSample(TextRecord sample) {
        try {
            return Task.of(toTaskSpec()).renderPrompt(sample);
        } catch (RuntimeException e) {
            return "(cannot render without a record: " + e.getMessage() + ")";
        }
    }

    public PromptSpec withInstruction(PromptTemplate newInstruction) {
        return toBuilder().instruction(newInstruction).build();
    }

    public PromptSpec withLabels(List<Label> newLabels) {
        return toBuilder().labels(newLabels).build();
    }

    public PromptSpec withDemonstrations(List<TextRecord> newDemonstrations) {
        return toBuilder().demonstrations(newDemonstrations).build();
    }

    public PromptSpec withOption(String key, String value) {
        return toBuilder().option(key, value).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(taskType).instruction(instruction).labels(labels).entityTypes(entityTypes)
                .demonstrations(demonstrations).outputFormat(outputFormat);
        options.forEach(b::option);
        return b;
    }

    /** This spec as JSON (demonstrations included), for saving and reports. */
    public String toJson() {
        return SpecJson.write(this);
    }

    public static PromptSpec fromJson(String json) {
        return SpecJson.readSpec(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptSpec s && s.taskType == taskType && Objects.equals(s.instruction, instruction)
                && s.labels.equals(labels) && s.entityTypes.equals(entityTypes)
                && s.demonstrations.equals(demonstrations) && Objects.equals(s.outputFormat, outputFormat)
                && s.options.equals(options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(taskType, instruction, labels, entityTypes, demonstrations, outputFormat, options);
    }

    @Override
    public String toString() {
        return "PromptSpec[" + taskType + ", instruction=" + (instruction == null ? "default" : abbreviate(instruction.source()))
                + ", labels=" + labels.stream().map(l -> l.name() + "=" + l.description()).toList()
                + ", demonstrations=" + demonstrations.size() + ", options=" + options + "]";
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }

    /** Builds a {@link PromptSpec}. Only the task type is required. */
    public static final class Builder {
        private final TaskType taskType;
        private PromptTemplate instruction;
        private final List<Label> labels = new ArrayList<>();
        private final List<String> entityTypes = new ArrayList<>();
        private final List<TextRecord> demonstrations = new ArrayList<>();
        private String outputFormat;
        private final Map<String, String> options = new LinkedHashMap<>();

        private Builder(TaskType taskType) {
            this.taskType = Objects.requireNonNull(taskType, "taskType");
        }

        public Builder instruction(PromptTemplate template) {
            this.instruction = template;
            return this;
        }

        /** An instruction that uses only the standard placeholders. */
        public Builder instruction(String template) {
            this.instruction = template == null ? null : PromptTemplate.of(template);
            return this;
        }

        /** Adds a label worded as its own name. */
        public Builder label(String name) {
            labels.add(Label.of(name));
            return this;
        }

        /** Adds a label with the wording a model sees for it. */
        public Builder label(String name, String wording) {
            labels.add(Label.of(name, wording));
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

        public Builder demonstrations(List<TextRecord> records) {
            demonstrations.clear();
            demonstrations.addAll(records);
            return this;
        }

        public Builder outputFormat(String format) {
            this.outputFormat = format;
            return this;
        }

        public Builder option(String key, String value) {
            options.put(Objects.requireNonNull(key, "option key"), Objects.requireNonNull(value, "option " + key));
            return this;
        }

        public PromptSpec build() {
            return new PromptSpec(this);
        }
    }
}

package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Label;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.Model;
import io.openautoglm.prompt.internal.TaskJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The task part of a {@link PipelineSpec}, seen as what a prompt optimiser may change: the instruction (the
 * task's {@link PromptTemplate}), the wording of each label ({@link Label#description()}), the demonstrations
 * (the task's examples) and task options such as {@code threshold}. It wraps a core {@link TaskSpec} and holds
 * nothing else: {@link #task()} is that task, unchanged, ready for {@link PipelineSpec#withTask}, and the JSON
 * of a spec ({@link #toJson()}) is exactly the {@code task} section of a pipeline spec.
 *
 * <p>A generative model sees the demonstrations where the instruction says {@code {examples}}; a few-shot head
 * trains on them. A fixed answer format ("reply with the label only") is part of the instruction: write it in
 * the template.
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
 * PipelineSpec runnable = pipelineSpec.withTask(spec.task());
 * }</pre>
 *
 * <p>Two specs are equal when their tasks say the same: type, template (source and fields), labels with their
 * wording, entity types, demonstrations (id, texts, label, entities: what the task section keeps) and options.
 * Immutable and thread-safe; the {@code with…} methods return changed copies.
 */
public final class PromptSpec {
    private final TaskSpec task;
    /** The task's examples, read once; {@code null} until first asked for. */
    private volatile List<TextRecord> demonstrations;

    private int hash;

    private PromptSpec(TaskSpec task, List<TextRecord> demonstrations) {
        this.task = Objects.requireNonNull(task, "task");
        this.demonstrations = demonstrations;
    }

    /** The spec of a task; the task is kept as it is. */
    public static PromptSpec of(TaskSpec task) {
        return new PromptSpec(task, null);
    }

    /** The spec a pipeline runs; start an optimisation from it. */
    public static PromptSpec from(TaskPipeline pipeline) {
        return of(pipeline.spec());
    }

    public static Builder builder(TaskType taskType) {
        return new Builder(TaskSpec.builder().taskType(Objects.requireNonNull(taskType, "taskType")), List.of(), null);
    }

    /** The wrapped task, unchanged: put it in a pipeline spec with {@link PipelineSpec#withTask}. */
    public TaskSpec task() {
        return task;
    }

    public TaskType taskType() {
        return task.type();
    }

    /** The instruction: the task's prompt template, or {@code null} for the task's default. */
    public PromptTemplate instruction() {
        return task.promptTemplate();
    }

    /** The labels with the wording a model sees for each. */
    public List<Label> labels() {
        return task.labels();
    }

    public List<String> entityTypes() {
        return task.entityTypes();
    }

    /** The task's examples: records shown to the model or used to train its head; empty for zero-shot. */
    public List<TextRecord> demonstrations() {
        List<TextRecord> d = demonstrations;
        if (d == null) {
            d = task.examples() == null
                    ? List.of()
                    : List.copyOf(task.examples().toList());
            demonstrations = d;
        }
        return d;
    }

    /** Task options, such as {@code threshold} for matching. */
    public Map<String, String> options() {
        return task.options();
    }

    /** Sets this spec's task on a pipeline builder: task type, template, labels, entity types, examples, options. */
    public TaskPipeline.Builder applyTo(TaskPipeline.Builder builder) {
        builder.taskType(task.type())
                .promptTemplate(task.promptTemplate())
                .labels(task.labels())
                .entityTypes(task.entityTypes().toArray(String[]::new))
                .examples(task.examples());
        task.options().forEach(builder::option);
        return builder;
    }

    /** A pipeline that runs this spec on an open model, which stays the caller's to close. */
    public TaskPipeline pipeline(Model openModel) {
        return applyTo(TaskPipeline.builder().model(openModel)).build();
    }

    /** The full prompt a generative model receives for the record. */
    public String render(TextRecord record) {
        return Task.of(task).renderPrompt(record);
    }

    /** A multi-line description: the instruction, label wording, demonstrations, options and a full prompt. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("task: ").append(taskType()).append('\n');
        sb.append("instruction: ")
                .append(instruction() == null ? "(task default)" : instruction().source())
                .append('\n');
        if (!labels().isEmpty()) {
            sb.append("labels:\n");
            labels().forEach(l -> sb.append("  ")
                    .append(l.name())
                    .append(" -> ")
                    .append(l.description())
                    .append('\n'));
        }
        sb.append("demonstrations: ").append(demonstrations().size()).append('\n');
        for (TextRecord d : demonstrations()) {
            sb.append("  [").append(d.label()).append("] ").append(abbreviate(d.text()));
            if (d.textB() != null) {
                sb.append(" || ").append(abbreviate(d.textB()));
            }
            sb.append('\n');
        }
        if (!options().isEmpty()) {
            sb.append("options: ").append(new java.util.TreeMap<>(options())).append('\n');
        }
        TextRecord sample = taskType() == TaskType.SEMANTIC_MATCHING
                ? TextRecord.pair("{text}", "{text_b}", null)
                : TextRecord.of("{text}");
        sb.append("full prompt (for a generative model):\n").append(renderSample(sample));
        return sb.toString();
    }

    private String renderSample(TextRecord sample) {
        try {
            return render(sample);
        } catch (RuntimeException e) {
            return "(cannot render without a record: " + e.getMessage() + ")";
        }
    }

    public PromptSpec withInstruction(PromptTemplate newInstruction) {
        return new PromptSpec(task.toBuilder().promptTemplate(newInstruction).build(), demonstrations);
    }

    public PromptSpec withLabels(List<Label> newLabels) {
        return new PromptSpec(task.toBuilder().labels(newLabels).build(), demonstrations);
    }

    /** This spec with other demonstrations, each with a gold answer; an empty list makes it zero-shot. */
    public PromptSpec withDemonstrations(List<TextRecord> newDemonstrations) {
        List<TextRecord> d = checked(newDemonstrations);
        return new PromptSpec(task.toBuilder().examples(examples(d)).build(), d);
    }

    public PromptSpec withOption(String key, String value) {
        return new PromptSpec(task.toBuilder().option(key, value).build(), demonstrations);
    }

    public Builder toBuilder() {
        return new Builder(task.toBuilder(), task.labels(), demonstrations);
    }

    /** This spec as JSON: the {@code task} section of a {@link PipelineSpec}, paths as written. */
    public String toJson() {
        return TaskJson.write(task);
    }

    /**
     * Reads the {@code task} section of a pipeline spec, checked as {@link PipelineSpec#fromJson} checks it; an
     * {@code examplesSource} path resolves against the working directory.
     *
     * @throws io.openautoglm.core.PipelineSpecException listing every problem with its JSON path
     */
    public static PromptSpec fromJson(String json) {
        return of(TaskJson.read(json));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PromptSpec s)) {
            return false;
        }
        if (s.task == task) {
            return true;
        }
        if (s.taskType() != taskType()
                || !Objects.equals(s.instruction(), instruction())
                || !s.labels().equals(labels())
                || !s.entityTypes().equals(entityTypes())
                || !s.options().equals(options())) {
            return false;
        }
        if (task.examples() == s.task.examples()) {
            return true;
        }
        List<TextRecord> a = demonstrations();
        List<TextRecord> b = s.demonstrations();
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameDemonstration(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Objects.hash(taskType(), instruction(), labels(), entityTypes(), options());
            for (TextRecord d : demonstrations()) {
                h = 31 * h + Objects.hash(d.id(), d.text(), d.textB(), d.label(), d.entities());
            }
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    /** The same demonstration as far as a task section goes: where it was read and its metadata aside. */
    private static boolean sameDemonstration(TextRecord a, TextRecord b) {
        return Objects.equals(a.id(), b.id())
                && Objects.equals(a.text(), b.text())
                && Objects.equals(a.textB(), b.textB())
                && Objects.equals(a.label(), b.label())
                && Objects.equals(a.entities(), b.entities());
    }

    @Override
    public String toString() {
        return "PromptSpec[" + taskType() + ", instruction="
                + (instruction() == null ? "default" : abbreviate(instruction().source()))
                + ", labels="
                + labels().stream().map(l -> l.name() + "=" + l.description()).toList()
                + ", demonstrations=" + demonstrations().size() + ", options=" + new java.util.TreeMap<>(options())
                + "]";
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }

    private static List<TextRecord> checked(List<TextRecord> records) {
        List<TextRecord> copy = List.copyOf(records);
        for (TextRecord d : copy) {
            if (!d.hasGold()) {
                throw new IllegalArgumentException("demonstrations: every demonstration needs a gold answer (a label, "
                        + "or gold entities for NER); '" + abbreviate(d.text()) + "' has none");
            }
        }
        return copy;
    }

    private static Dataset examples(List<TextRecord> demonstrations) {
        return demonstrations.isEmpty() ? null : Dataset.of("demonstrations", demonstrations);
    }

    /**
     * Builds a {@link PromptSpec} over a {@link TaskSpec.Builder}. Only the task type is required; the task
     * checks labels, entity types and the template when built.
     */
    public static final class Builder {
        private final TaskSpec.Builder task;
        private final List<Label> labels;
        private List<TextRecord> demonstrations;

        private Builder(TaskSpec.Builder task, List<Label> labels, List<TextRecord> demonstrations) {
            this.task = task;
            this.labels = new ArrayList<>(labels);
            this.demonstrations = demonstrations;
        }

        public Builder instruction(PromptTemplate template) {
            task.promptTemplate(template);
            return this;
        }

        /** An instruction that uses only the standard placeholders. */
        public Builder instruction(String template) {
            task.promptTemplate(template);
            return this;
        }

        /** Adds a label worded as its own name. */
        public Builder label(String name) {
            return label(name, null);
        }

        /** Adds a label with the wording a model sees for it. */
        public Builder label(String name, String wording) {
            labels.add(Label.of(name, wording));
            task.labels(labels);
            return this;
        }

        public Builder labels(List<Label> list) {
            labels.clear();
            labels.addAll(list);
            task.labels(labels);
            return this;
        }

        public Builder entityTypes(List<String> types) {
            task.entityTypes(types);
            return this;
        }

        /** The demonstrations, each with a gold answer (a label, or entities for NER); empty for zero-shot. */
        public Builder demonstrations(List<TextRecord> records) {
            demonstrations = checked(records);
            task.examples(examples(demonstrations));
            return this;
        }

        public Builder option(String key, String value) {
            task.option(key, value);
            return this;
        }

        public PromptSpec build() {
            return new PromptSpec(task.build(), demonstrations);
        }
    }
}

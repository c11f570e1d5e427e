package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TextRecord;
import io.openautoglm.prompt.internal.Knobs;
import io.openautoglm.prompt.internal.Scoring;
import io.openautoglm.prompt.internal.Search;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes instructions with a generative model in an OPRO loop (Yang et al. 2023, "Large Language Models
 * as Optimizers"): each step shows the model the instructions tried so far with their dev scores, worst
 * first, and a few training examples, and asks for new instructions; each is scored on dev. It stops at the
 * budget, after {@link Builder#maxSteps} steps, or after {@link Builder#patience} steps without a better
 * score.
 *
 * <pre>{@code
 * InstructionProposal opro = InstructionProposal.builder()
 *         .model(glmModel)               // scores candidates
 *         .generator(glmGenerator)       // proposes them
 *         .maxSteps(8).proposalsPerStep(4).patience(2).seed(3)
 *         .build();
 * OptimizationResult result = opro.optimize(start, train, dev, SearchBudget.builder().maxCost(2.0).build());
 * }</pre>
 *
 * <p>Proposals are asked for inside {@code <INS>…</INS>} tags (plain lines are read too). A proposal's
 * braces other than the standard placeholders and the start's declared fields are made literal, so a model
 * cannot inject a field. Embedding models ignore instructions; use this with generative models. Immutable and
 * thread-safe.
 */
public final class InstructionProposal implements PromptOptimizer {
    private static final Logger LOG = LoggerFactory.getLogger(InstructionProposal.class);
    public static final String NAME = "instruction";
    private static final Pattern BRACED = Pattern.compile("\\{([^{}]*)}");

    private final Scoring scoring;
    private final TextGenerator generator;
    private final long seed;
    private final int proposalsPerStep;
    private final int maxSteps;
    private final int patience;
    private final int examplesShown;
    private final int historyShown;

    private InstructionProposal(Builder b) {
        this.scoring = b.scoring();
        this.generator = b.generator;
        this.seed = b.seed;
        this.proposalsPerStep = b.proposalsPerStep;
        this.maxSteps = b.maxSteps;
        this.patience = b.patience;
        this.examplesShown = b.examplesShown;
        this.historyShown = b.historyShown;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OptimizationResult optimize(PromptSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        Search search = new Search(NAME, scoring, start, train, dev, budget, seed);
        Candidate first = search.scoreStart(start, "start");
        Random random = new Random(seed);
        List<TextRecord> examples = new ArrayList<>(train.toList());
        Collections.shuffle(examples, random);
        examples = List.copyOf(examples.subList(0, Math.min(examplesShown, examples.size())));
        boolean zh = start.instruction() == null
                ? start.labels().stream().anyMatch(l -> isChinese(l.name()))
                : start.instruction().isChinese();

        List<Scored> history = new ArrayList<>();
        history.add(new Scored(instructionText(start, zh), first.score()));
        Set<String> tried = new HashSet<>();
        tried.add(instructionText(start, zh));
        int stale = 0;
        for (int step = 1; step <= maxSteps && !search.stopped(); step++) {
            if (!search.mayGenerate()) {
                break;
            }
            double before = search.best().score();
            String answer;
            try {
                answer = generator.generate(metaPrompt(history, examples, start, zh), search.generationMeter());
            } catch (RuntimeException e) {
                LOG.warn(
                        "{}: step {}: the generator failed, counting the step as no improvement: {}",
                        NAME,
                        step,
                        e.toString());
                answer = "";
            }
            for (String proposal : Proposals.instructions(answer, proposalsPerStep)) {
                if (!tried.add(proposal)) {
                    continue;
                }
                PromptTemplate template;
                try {
                    List<String> fields = start.instruction() == null
                            ? List.of()
                            : start.instruction().fields();
                    template = PromptTemplate.builder(sanitize(proposal, fields))
                            .fields(fields)
                            .build();
                } catch (IllegalArgumentException e) {
                    LOG.debug("{}: proposal '{}' rejected: {}", NAME, proposal, e.getMessage());
                    continue;
                }
                PromptSpec candidate = search.best().spec().withInstruction(template);
                var scored = search.score(candidate, "step " + step + ": " + proposal);
                if (scored.isEmpty()) {
                    break;
                }
                history.add(new Scored(proposal, scored.get().score()));
            }
            if (search.best().score() > before) {
                stale = 0;
            } else if (++stale >= patience) {
                search.stop(StopReason.NO_IMPROVEMENT);
            }
        }
        return search.finish(StopReason.EXHAUSTED);
    }

    /** The OPRO meta-prompt: scored history worst first (so the best sits nearest the question), then examples. */
    String metaPrompt(List<Scored> history, List<TextRecord> examples, PromptSpec start, boolean zh) {
        List<Scored> shown = new ArrayList<>(history);
        shown.sort(Comparator.comparingDouble(Scored::score).reversed());
        shown = new ArrayList<>(shown.subList(0, Math.min(historyShown, shown.size())));
        Collections.reverse(shown);
        StringBuilder sb = new StringBuilder();
        String labels = String.join(
                zh ? "、" : ", ", start.labels().stream().map(l -> l.name()).toList());
        if (zh) {
            sb.append("你的任务是为一个")
                    .append(taskName(start, true))
                    .append("任务写一条指令")
                    .append(labels.isEmpty() ? "" : "（标签：" + labels + "）")
                    .append("。下面是以前的指令和它们在验证集上的得分（0到100，越高越好），按得分从低到高排列：\n\n");
            for (Scored s : shown) {
                sb.append("指令：")
                        .append(s.text())
                        .append("\n得分：")
                        .append(Math.round(s.score() * 100))
                        .append("\n\n");
            }
            sb.append("下面是这个任务的例子：\n\n");
        } else {
            sb.append("Your task is to write an instruction for a ")
                    .append(taskName(start, false))
                    .append(" task")
                    .append(labels.isEmpty() ? "" : " (labels: " + labels + ")")
                    .append(". Below are previous instructions with their scores on a validation set (0 to 100, "
                            + "higher is better), from lowest to highest:\n\n");
            for (Scored s : shown) {
                sb.append("Instruction: ")
                        .append(s.text())
                        .append("\nScore: ")
                        .append(Math.round(s.score() * 100))
                        .append("\n\n");
            }
            sb.append("Below are examples of the task:\n\n");
        }
        sb.append(PromptTemplate.formatDemonstrations(examples, zh)).append('\n');
        if (zh) {
            sb.append("请写出")
                    .append(proposalsPerStep)
                    .append("条新的指令，要与上面的指令不同，得分要尽可能高。")
                    .append("在指令中用 {text} 表示输入文本")
                    .append(start.taskType().name().equals("SEMANTIC_MATCHING") ? "、{text_b} 表示第二个文本" : "")
                    .append("。每条指令写在 <INS> 和 </INS> 之间。");
        } else {
            sb.append("Write ")
                    .append(proposalsPerStep)
                    .append(" new instructions that differ from the ones above "
                            + "and score as high as possible. Write {text} where the input text goes")
                    .append(
                            start.taskType().name().equals("SEMANTIC_MATCHING")
                                    ? " and {text_b} for the second text"
                                    : "")
                    .append(". Put each instruction between <INS> and </INS>.");
        }
        return sb.toString();
    }

    private static String taskName(PromptSpec spec, boolean zh) {
        return switch (spec.taskType()) {
            case TEXT_CLASSIFICATION -> zh ? "文本分类" : "text classification";
            case SEMANTIC_MATCHING -> zh ? "语义匹配" : "semantic matching";
            case NAMED_ENTITY_RECOGNITION -> zh ? "命名实体识别" : "named entity recognition";
        };
    }

    private static String instructionText(PromptSpec spec, boolean zh) {
        if (spec.instruction() != null) {
            return spec.instruction().source();
        }
        return zh ? "（默认指令）{text}" : "(default instruction) {text}";
    }

    /** Keeps the standard placeholders and the given fields; any other brace becomes literal text. */
    static String sanitize(String proposal, List<String> fields) {
        StringBuilder out = new StringBuilder();
        Matcher m = BRACED.matcher(proposal);
        int last = 0;
        while (m.find()) {
            out.append(escape(proposal.substring(last, m.start())));
            String name = m.group(1).strip();
            boolean known = PromptTemplate.STANDARD.contains(name) || fields.contains(name);
            out.append(known ? "{" + name + "}" : escape(m.group()));
            last = m.end();
        }
        out.append(escape(proposal.substring(last)));
        return out.toString();
    }

    private static String escape(String s) {
        return s.replace("{", "{{").replace("}", "}}");
    }

    private static boolean isChinese(String s) {
        return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    record Scored(String text, double score) {}

    /** Builds an {@link InstructionProposal}. The model and the generator are required. */
    public static final class Builder extends ScoringBuilder<Builder> {
        Builder() {
            super(16);
        }

        private TextGenerator generator;
        private long seed = 42;
        private int proposalsPerStep = 4;
        private int maxSteps = 10;
        private int patience = 3;
        private int examplesShown = 3;
        private int historyShown = 20;

        /** The generative model that proposes instructions. */
        public Builder generator(TextGenerator generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Instructions asked for per step; default 4. */
        public Builder proposalsPerStep(int n) {
            this.proposalsPerStep = Knobs.atLeast("proposalsPerStep", n, 1);
            return this;
        }

        /** Generation steps at most; default 10. */
        public Builder maxSteps(int n) {
            this.maxSteps = Knobs.atLeast("maxSteps", n, 1);
            return this;
        }

        /** Steps without a better dev score before stopping; default 3. */
        public Builder patience(int n) {
            this.patience = Knobs.atLeast("patience", n, 1);
            return this;
        }

        /** Training examples shown in the meta-prompt; default 3. */
        public Builder examplesShown(int n) {
            this.examplesShown = Knobs.atLeast("examplesShown", n, 0);
            return this;
        }

        /** Best past instructions shown in the meta-prompt; default 20. */
        public Builder historyShown(int n) {
            this.historyShown = Knobs.atLeast("historyShown", n, 1);
            return this;
        }

        public InstructionProposal build() {
            if (generator == null) {
                throw new IllegalArgumentException("generator must be set: the TextGenerator that proposes "
                        + "instructions, e.g. one over the GLM client");
            }
            return new InstructionProposal(this);
        }
    }
}

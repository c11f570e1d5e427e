package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionProposalTest {
    static final Dataset TRAIN = TestData.reviews("train", 200, 1);
    static final Dataset DEV = TestData.reviews("dev", 80, 2);
    static final PromptSpec START = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
            .instruction("Classify the review: {text}")
            .label("positive", "great, clean, friendly, quiet, comfortable, spacious")
            .label("negative", "dirty, rude, noisy, broken, smelly, cramped")
            .build();

    /** Answers from a script, one per call, recording each meta-prompt. */
    static final class Scripted implements TextGenerator {
        final List<String> prompts = new ArrayList<>();
        private final List<String> answers;

        Scripted(String... answers) {
            this.answers = List.of(answers);
        }

        @Override
        public String generate(String prompt, io.openautoglm.core.UsageMeter usage) {
            prompts.add(prompt);
            usage.record(prompt.length(), 30, 0.01);
            return answers.get(Math.min(prompts.size() - 1, answers.size() - 1));
        }
    }

    @Test
    void findsTheInstructionThatWorksAndShowsScoresInTheMetaPrompt() {
        Scripted gen = new Scripted(
                "<INS>Read the review: {text}</INS><INS>Label {text}</INS>",
                "<INS>Read the review carefully, then label it: {text}</INS>",
                "<INS>Another try {text}</INS>",
                "<INS>Yet another {text}</INS>");
        OptimizationResult r = InstructionProposal.builder()
                .model(new FakeModel(true, 0))
                .generator(gen)
                .maxSteps(10)
                .patience(2)
                .seed(4)
                .build()
                .optimize(START, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(
                "Read the review carefully, then label it: {text}",
                r.bestSpec().instruction().source());
        assertTrue(r.bestScore() > r.startScore(), r.summary());
        assertEquals(StopReason.NO_IMPROVEMENT, r.stopReason(), r.summary());
        assertEquals(4, gen.prompts.size(), "two steps without gain after the best one");
        String meta = gen.prompts.get(2);
        assertTrue(meta.contains("Instruction: Read the review carefully, then label it: {text}\nScore: 100"), meta);
        assertTrue(
                meta.indexOf("Score: 100") > meta.indexOf("Instruction: Classify the review"), "worst first: " + meta);
        assertTrue(meta.contains("Text: ") && meta.contains("<INS>"), meta);
        assertEquals(4 * 0.01, r.usage().cost(), 1e-9);
    }

    @Test
    void proposalsCannotInjectFieldsAndDuplicatesAreSkipped() {
        Scripted gen = new Scripted("<INS>Use {secret} and {text}</INS><INS>Classify the review: {text}</INS>");
        OptimizationResult r = InstructionProposal.builder()
                .model(new FakeModel())
                .generator(gen)
                .maxSteps(1)
                .build()
                .optimize(START, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(2, r.trajectory().size(), "the repeat of the start is not scored again");
        assertEquals(
                "Use {{secret}} and {text}",
                r.trajectory().get(1).spec().instruction().source());
        assertEquals(StopReason.EXHAUSTED, r.stopReason());
    }

    @Test
    void aFailingGeneratorCountsAsNoImprovement() {
        TextGenerator broken = (p, u) -> {
            throw new IllegalStateException("503 from server");
        };
        OptimizationResult r = InstructionProposal.builder()
                .model(new FakeModel())
                .generator(broken)
                .patience(2)
                .build()
                .optimize(START, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(1, r.trajectory().size());
        assertEquals(StopReason.NO_IMPROVEMENT, r.stopReason());
        assertEquals(r.start(), r.best());
    }

    @Test
    void chineseStartGetsAChineseMetaPrompt() {
        Scripted gen = new Scripted("1. 请仔细判断：{text}");
        PromptSpec zh = START.toBuilder().instruction("判断评论的情感：{text}").build();
        OptimizationResult r = InstructionProposal.builder()
                .model(new FakeModel())
                .generator(gen)
                .maxSteps(1)
                .build()
                .optimize(zh, TRAIN, DEV, SearchBudget.unlimited());
        assertTrue(gen.prompts.get(0).startsWith("你的任务是为一个文本分类任务写一条指令"), gen.prompts.get(0));
        assertEquals("请仔细判断：{text}", r.trajectory().get(1).spec().instruction().source());
    }

    @Test
    void aProposalKeepsTheStartsOwnFieldsAsPlaceholders() {
        Dataset train = Dataset.of(
                "train",
                List.of(TextRecord.builder()
                        .text("great room")
                        .label("positive")
                        .metadata(java.util.Map.of("product", "hotel"))
                        .build()));
        Dataset dev = Dataset.of(
                "dev",
                List.of(TextRecord.builder()
                        .text("dirty room")
                        .label("negative")
                        .metadata(java.util.Map.of("product", "hotel"))
                        .build()));
        PromptSpec start = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .instruction(PromptTemplate.builder("Classify the {product} review: {text}")
                        .field("product")
                        .build())
                .label("positive", "great")
                .label("negative", "dirty")
                .build();
        Scripted gen = new Scripted("<INS>Carefully classify this {product} review: {text} {secret}</INS>");
        OptimizationResult r = InstructionProposal.builder()
                .model(new FakeModel())
                .generator(gen)
                .maxSteps(1)
                .build()
                .optimize(start, train, dev, SearchBudget.unlimited());
        String prompt = r.trajectory().get(1).spec().render(dev.toList().get(0));
        assertTrue(prompt.contains("this hotel review"), prompt);
        assertTrue(
                prompt.contains("{secret}") || prompt.contains("｛secret｝"), "an unknown name stays literal: " + prompt);
    }
}

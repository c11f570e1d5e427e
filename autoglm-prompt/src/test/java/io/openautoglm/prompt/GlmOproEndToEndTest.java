package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Models;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.Model;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.glm.PriceTable;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OPRO loop end to end over HTTP: a local GLM-protocol server (the GLM client's {@link GlmTestServer}, from its test-fixtures jar) plays the model,
 * both the one that proposes instructions (scripted proposals) and the one that is scored (it labels reviews
 * correctly only when the instruction says "carefully"). Candidates are scored through the {@code glm}
 * provider of autoglm-glm-client, proposals come through its {@link GlmClient}; no real GLM is reachable
 * offline.
 */
class GlmOproEndToEndTest {
    private static final String KEY = "prompt-test.secretsecret";
    private static final String META_MARKER = "Put each instruction between <INS> and </INS>";

    @TempDir
    Path dir;

    /** What the server answers: scripted proposals to meta-prompts, labels to classification prompts. */
    static final class Script {
        final List<String> proposals;
        final AtomicInteger metaPrompts = new AtomicInteger();
        final List<String> seenMetaPrompts = new ArrayList<>();

        Script(String... proposals) {
            this.proposals = List.of(proposals);
        }

        String answer(String prompt) {
            if (prompt.contains(META_MARKER)) {
                synchronized (this) {
                    seenMetaPrompts.add(prompt);
                }
                int i = metaPrompts.getAndIncrement();
                return proposals.get(Math.min(i, proposals.size() - 1));
            }
            if (!prompt.contains("carefully")) {
                return "positive";
            }
            for (String w : TestData.NEGATIVE) {
                if (prompt.contains(" " + w)) {
                    return "Answer: negative";
                }
            }
            return "positive";
        }
    }

    /** A minimal {@link TextGenerator} over the GLM client: one user message, usage and cost recorded. */
    static TextGenerator generator(GlmClient client) {
        return (prompt, usage) -> {
            ChatResponse r =
                    client.chat(ChatRequest.builder("glm-4-flash").user(prompt).build());
            usage.record(r.usage().promptTokens(), r.usage().completionTokens(), r.cost());
            return r.content();
        };
    }

    /** A GLM-protocol server on loopback whose answers the script gives, from the last user message. */
    static GlmTestServer serve(Script script) {
        return GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(call -> script.answer(call.lastUserMessage()))
                .build()
                .start();
    }

    static Model open(GlmTestServer server) {
        return Models.open("glm-4-flash", Map.of("apiKey", KEY, "baseUrl", server.baseUrl(), "maxAttempts", "2"));
    }

    static final Dataset TRAIN = TestData.reviews("train", 30, 1);
    static final Dataset DEV = TestData.reviews("dev", 24, 2);
    static final PromptSpec START = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
            .instruction("Classify the hotel review: {text}")
            .label("positive")
            .label("negative")
            .build();

    @Test
    void theLoopFindsTheBetterInstructionAndReportsIt() throws Exception {
        Script script = new Script(
                "<INS>Label this review: {text}</INS>",
                "<INS>Read the review carefully and label it: {text}</INS>",
                "<INS>Say the label: {text}</INS>",
                "<INS>Decide: {text}</INS>");
        try (GlmTestServer server = serve(script);
                GlmClient client = GlmClient.builder()
                        .apiKey(KEY)
                        .baseUrl(server.baseUrl())
                        .priceTable(PriceTable.builder("CNY")
                                .price("glm-4-flash", 1.0, 2.0)
                                .build())
                        .build();
                Model glm = open(server)) {
            OptimizationResult r = InstructionProposal.builder()
                    .model(glm)
                    .generator(generator(client))
                    .proposalsPerStep(1)
                    .maxSteps(10)
                    .patience(2)
                    .seed(1)
                    .build()
                    .optimize(START, TRAIN, DEV, SearchBudget.unlimited());

            assertEquals(
                    "Read the review carefully and label it: {text}",
                    r.bestSpec().instruction().source());
            assertTrue(r.startScore() < 0.8 && r.bestScore() == 1.0, r.summary());
            assertEquals(StopReason.NO_IMPROVEMENT, r.stopReason());
            assertEquals(5, r.trajectory().size(), r.summary());
            assertEquals(4, script.metaPrompts.get());
            // The server saw the scores: the second meta-prompt lists the first proposal and the start.
            assertTrue(
                    script.seenMetaPrompts.get(1).contains("Instruction: Label this review: {text}\nScore: "),
                    script.seenMetaPrompts.get(1));
            // Every answer the server gave is counted once: 5 dev runs of 24 records, 4 proposals.
            assertEquals(server.answered(), r.usage().calls());
            assertEquals(5 * 24 + 4, r.usage().calls());
            assertTrue(r.usage().cost() > 0, "the generator's cost is billed: " + r.usage());

            Path report = dir.resolve("opro.report.json");
            r.writeReport(report);
            r.writeChart(dir.resolve("opro.png"));
            JsonNode json = new ObjectMapper().readTree(Files.readString(report));
            assertEquals("NO_IMPROVEMENT", json.get("stopReason").asText());
            assertEquals(5, json.get("trajectory").size());
            assertTrue(json.get("finalPrompt").asText().contains("Read the review carefully and label it: {text}"));
            assertTrue(Files.size(dir.resolve("opro.png")) > 1000);
        }
    }

    @Test
    void theBudgetStopsTheLoopAtTheModelCallLimit() {
        Script script = new Script(
                "<INS>One more idea {text}</INS>",
                "<INS>Another idea {text}</INS>",
                "<INS>A third idea {text}</INS>",
                "<INS>A fourth idea {text}</INS>");
        try (GlmTestServer server = serve(script);
                GlmClient client = GlmClient.builder()
                        .apiKey(KEY)
                        .baseUrl(server.baseUrl())
                        .build();
                Model glm = open(server)) {
            OptimizationResult r = InstructionProposal.builder()
                    .model(glm)
                    .generator(generator(client))
                    .proposalsPerStep(1)
                    .maxSteps(10)
                    .patience(10)
                    .build()
                    .optimize(
                            START,
                            TRAIN,
                            DEV,
                            SearchBudget.builder().maxModelCalls(60).build());
            assertEquals(StopReason.MAX_MODEL_CALLS, r.stopReason(), r.summary());
            // start (24) + proposal (1) + candidate (24) = 49 < 60; the next proposal call (50) is allowed,
            // its candidate (74) goes past, and the loop stops before the next proposal.
            assertEquals(3, r.trajectory().size(), r.summary());
            assertEquals(server.answered(), r.usage().calls());
            assertTrue(r.usage().calls() >= 60 && r.usage().calls() <= 60 + 24, r.summary());
        }
    }

    @Test
    void aServerThatKeepsFailingEndsTheLoopWithoutLosingTheStart() {
        try (GlmTestServer server = serve(new Script("x"));
                GlmClient client = GlmClient.builder()
                        .apiKey(KEY)
                        .baseUrl(server.baseUrl())
                        .retryPolicy(io.openautoglm.glm.RetryPolicy.none())
                        .build();
                Model glm = open(server)) {
            TextGenerator failing = (prompt, usage) -> {
                server.enqueueFault(GlmTestServer.Fault.SERVER_500);
                return generator(client).generate(prompt, usage);
            };
            OptimizationResult r = InstructionProposal.builder()
                    .model(glm)
                    .generator(failing)
                    .patience(2)
                    .build()
                    .optimize(START, TRAIN, DEV, SearchBudget.unlimited());
            assertEquals(1, r.trajectory().size());
            assertEquals(StopReason.NO_IMPROVEMENT, r.stopReason());
            assertEquals(START, r.bestSpec());
        }
    }
}

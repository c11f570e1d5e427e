package io.openautoglm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The quick start's feedback split in two: every fourth record for dev, the rest for train. */
    private void splitFeedback() throws Exception {
        List<String> lines =
                Files.readAllLines(Cli.repo().resolve("examples/data/user_feedback.csv"), StandardCharsets.UTF_8);
        StringBuilder dev = new StringBuilder(lines.get(0)).append('\n');
        StringBuilder train = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i++) {
            (i % 4 == 0 ? dev : train).append(lines.get(i)).append('\n');
        }
        Cli.write(dir.resolve("data/dev.csv"), dev.toString());
        Cli.write(dir.resolve("data/train.csv"), train.toString());
    }

    @Test
    void labelWordingOnTheLocalModelWritesABestSpecThatRunsUnchanged() throws Exception {
        splitFeedback();
        Path spec = Cli.write(dir.resolve("specs/feedback.json"), """
                {"version": 1,
                 "source": {"format": "csv", "path": "../data/dev.csv", "textColumn": "text", "labelColumn": "label"},
                 "task": {"type": "TEXT_CLASSIFICATION", "template": "判断以下用户反馈的情感倾向:{text}",
                          "labels": ["正面", "负面", "中性"]},
                 "model": {"name": "local:bge-small-zh"},
                 "optimize": {"optimizers": ["label-wording"], "seed": 7},
                 "sink": {"format": "jsonl", "path": "../out/results.jsonl"}}
                """);
        Path best = dir.resolve("best/BEST.json");
        Cli.Result r = Cli.run(
                "optimize",
                spec.toString(),
                "--dev",
                dir.resolve("data/dev.csv").toString(),
                "--train",
                dir.resolve("data/train.csv").toString(),
                "--budget",
                "4",
                "--out",
                best.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("start accuracy \\d\\.\\d{4}")), r.all());
        // the search may stop before its budget of 4 when candidates stop improving: it says how many it tried
        java.util.regex.Matcher bestLine = java.util.regex.Pattern.compile(
                        "best  accuracy \\d\\.\\d{4} \\([+-]\\d\\.\\d{4}\\), candidate #\\d+ of (\\d+): .*")
                .matcher(r.out());
        assertTrue(bestLine.find(), r.all());
        int tried = Integer.parseInt(bestLine.group(1));
        assertTrue(tried >= 2 && tried <= 4, r.all());
        assertTrue(
                r.out().contains(tried == 4 ? "stopped: MAX_CANDIDATES" : "stopped: NO_IMPROVEMENT")
                        || tried < 4 && r.out().contains("stopped: EXHAUSTED"),
                "a search that stops early says why: " + r.all());
        assertTrue(Files.size(dir.resolve("best/BEST.trajectory.png")) > 1000);
        JsonNode report = JSON.readTree(dir.resolve("best/BEST.report.json").toFile());
        assertEquals(tried, report.get("trajectory").size(), report.toString());

        JsonNode written = JSON.readTree(best.toFile());
        assertEquals("../data/dev.csv", written.get("source").get("path").asText(), "paths rewritten for its folder");
        assertEquals(3, written.get("task").get("labels").size());
        Cli.Result again = Cli.run("run", best.toString(), "--progress", "none");
        assertTrue(again.code() == 0 || again.code() == 1, again.all());
        assertTrue(again.out().contains("12 records"), again.all());
        assertEquals(12, Files.readAllLines(dir.resolve("out/results.jsonl")).size());
    }

    @Test
    void instructionProposalOnGlmProposesThroughTheSpecsOwnModelAndKeepsTheKeyAReference() throws Exception {
        AtomicInteger metaPrompts = new AtomicInteger();
        try (GlmTestServer server = GlmTestServer.builder()
                .apiKey(RunCommandTest.KEY)
                .answerer(call -> {
                    String prompt = call.lastUserMessage();
                    if (prompt.contains("<INS>")) {
                        metaPrompts.incrementAndGet();
                        return "<INS>请仔细阅读这条反馈，判断情感倾向:{text}</INS>";
                    }
                    if (prompt.contains("仔细")) {
                        return prompt.contains("好") ? "正面" : "负面";
                    }
                    return "正面";
                })
                .build()
                .start()) {
            Path spec = RunCommandTest.glmSpec(dir, server, RunCommandTest.FEEDBACK.replace("糟糕", "很差"));
            Cli.write(dir.resolve("dev.csv"), RunCommandTest.FEEDBACK.replace("糟糕", "很差"));
            Path best = dir.resolve("BEST.json");
            Cli.Result r = Cli.run(
                    "optimize",
                    spec.toString(),
                    "--set",
                    "optimize.optimizers=instruction",
                    "--dev",
                    dir.resolve("dev.csv").toString(),
                    "--budget",
                    "3",
                    "--out",
                    best.toString());
            assertEquals(0, r.code(), r.all());
            assertTrue(metaPrompts.get() >= 1, "the spec's model proposed: " + r.all());
            assertTrue(r.out().contains("start accuracy 0.5000"), r.all());
            assertTrue(r.out().contains("best  accuracy 1.0000 (+0.5000)"), r.all());
            String written = Files.readString(best);
            assertTrue(written.contains("仔细"), written);
            assertTrue(written.contains("${file:key.txt}"), "the key stays a reference: " + written);
            assertFalse(written.contains("PLANTEDKEYVALUE"), written);
            assertFalse(r.all().contains("PLANTEDKEYVALUE"), r.all());

            Cli.Result again = Cli.run("run", best.toString(), "--progress", "none");
            assertEquals(0, again.code(), again.all());
            assertTrue(again.out().contains("accuracy 1.0000"), again.all());
        }
    }

    @Test
    void optimiserMisuseIsAUsageError() throws Exception {
        Path quick = Cli.repo().resolve("examples/specs/quickstart.json");
        Path feedback = Cli.repo().resolve("examples/data/user_feedback.csv");
        Path out = dir.resolve("BEST.json");
        Cli.Result none = Cli.run("optimize", quick.toString(), "--dev", feedback.toString(), "--out", out.toString());
        assertEquals(2, none.code(), none.all());
        assertTrue(none.err().contains("no optimize section"), none.all());
        Cli.Result noOut = Cli.run("optimize", quick.toString(), "--dev", feedback.toString());
        assertEquals(2, noOut.code(), noOut.all());
        Cli.Result instruction = Cli.run(
                "optimize",
                quick.toString(),
                "--set",
                "optimize.optimizers=instruction",
                "--dev",
                feedback.toString(),
                "--out",
                out.toString());
        assertEquals(2, instruction.code(), instruction.all());
        assertTrue(instruction.err().contains("generative model"), instruction.all());
        Cli.Result noTrain = Cli.run(
                "optimize",
                quick.toString(),
                "--set",
                "optimize.optimizers=demonstrations",
                "--dev",
                feedback.toString(),
                "--out",
                out.toString());
        assertEquals(2, noTrain.code(), noTrain.all());
        assertTrue(noTrain.err().contains("--train"), noTrain.all());
        Cli.Result noDev = Cli.run(
                "optimize", quick.toString(), "--set", "optimize.optimizers=label-wording", "--out", out.toString());
        assertEquals(2, noDev.code(), noDev.all());
        Cli.Result same = Cli.run(
                "optimize",
                quick.toString(),
                "--set",
                "optimize.optimizers=label-wording",
                "--dev",
                feedback.toString(),
                "--train",
                feedback.toString(),
                "--out",
                out.toString());
        assertEquals(2, same.code(), same.all());
        assertTrue(same.err().contains("the dev set is the train set"), same.all());
        Cli.Result threshold = Cli.run(
                "optimize",
                quick.toString(),
                "--set",
                "optimize.optimizers=threshold",
                "--dev",
                feedback.toString(),
                "--out",
                out.toString());
        assertEquals(2, threshold.code(), threshold.all());
        assertFalse(Files.exists(out), "nothing written");
    }
}

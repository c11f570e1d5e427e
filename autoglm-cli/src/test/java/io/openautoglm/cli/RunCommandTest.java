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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "cli-test.PLANTEDKEYVALUE";
    static final String FEEDBACK = """
            text,label
            这个产品很好用，推荐,正面
            服务很好，很满意,正面
            质量太差了，退货,负面
            糟糕的体验，再也不买,负面
            包装很好，物流也快,正面
            太差了，客服不理人,负面
            """;

    @TempDir
    Path dir;

    /** A GLM-protocol server that says 正面 for texts with 好 and 负面 otherwise, and refuses texts with 糟糕. */
    static GlmTestServer server(Set<String> modelsSeen) {
        return GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(call -> {
                    modelsSeen.add(call.model());
                    return call.lastUserMessage().contains("好") ? "正面" : "负面";
                })
                .faultRule(
                        call -> call.lastUserMessage().contains("糟糕") ? GlmTestServer.Fault.CONTENT_FILTER_1301 : null)
                .build()
                .start();
    }

    /** A spec for the GLM test server, its key by file reference. */
    static Path glmSpec(Path dir, GlmTestServer server, String csv) throws Exception {
        Cli.write(dir.resolve("key.txt"), KEY + "\n");
        Cli.write(dir.resolve("feedback.csv"), csv);
        return Cli.write(dir.resolve("glm.json"), """
                {"version": 1,
                 "source": {"format": "csv", "path": "feedback.csv", "textColumn": "text", "labelColumn": "label"},
                 "task": {"type": "TEXT_CLASSIFICATION", "template": "判断以下用户反馈的情感倾向:{text}",
                          "labels": ["正面", "负面"]},
                 "model": {"name": "glm-4-flash",
                           "options": {"apiKey": "${file:key.txt}", "baseUrl": "%s", "maxAttempts": 1}},
                 "run": {"batchSize": 2, "concurrency": 2},
                 "sink": {"format": "jsonl", "path": "out/results.jsonl"}}
                """.formatted(server.baseUrl()));
    }

    static List<JsonNode> jsonl(Path file) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    @Test
    void theQuickStartSpecRunsOnTheLocalModelWithLimitOutAndPlainProgress() throws Exception {
        Path spec = Cli.repo().resolve("examples/specs/quickstart.json");
        Path out = dir.resolve("quick.jsonl");
        Cli.Result r =
                Cli.run("run", spec.toString(), "--limit", "5", "--out", out.toString(), "--progress-every", "0");
        assertEquals(0, r.code(), r.all());
        assertTrue(
                r.out()
                        .contains("TEXT_CLASSIFICATION on user_feedback.csv with local:bge-small-zh: 5 records, "
                                + "5 succeeded, 0 failed"),
                r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("accuracy \\d\\.\\d{4}")), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("macro-F1 \\d\\.\\d{4}")), r.all());
        assertTrue(r.out().contains("results: " + out.toAbsolutePath().normalize()), r.all());
        // not a terminal: plain lines, the last one with the final counts
        assertTrue(
                r.err().lines().anyMatch(l -> l.matches("progress: 5 records \\(5 ok, 0 failed\\), [0-9.]+/s")),
                r.all());
        assertFalse(r.err().contains("\r"), "no bar when stderr is not a terminal");
        List<JsonNode> rows = jsonl(out);
        assertEquals(5, rows.size());
        assertEquals("ok", rows.get(0).get("status").asText());
    }

    @Test
    void aRunOnGlmWithFailedRecordsExitsOneWritesEveryRecordAndNeverShowsTheKey() throws Exception {
        Set<String> models = ConcurrentHashMap.newKeySet();
        try (GlmTestServer server = server(models)) {
            Path spec = glmSpec(dir, server, FEEDBACK);
            Cli.Result r = Cli.run("run", spec.toString(), "--progress", "plain");
            assertEquals(1, r.code(), r.all());
            assertTrue(r.out().contains("6 records, 5 succeeded, 1 failed"), r.all());
            assertTrue(r.out().contains("accuracy 1.0000\nmacro-F1 1.0000\n"), r.all());
            assertTrue(r.err().contains("progress: 6 records (5 ok, 1 failed)"), r.all());
            List<JsonNode> rows = jsonl(dir.resolve("out/results.jsonl"));
            assertEquals(6, rows.size(), "failed records are written too");
            assertEquals(
                    List.of("ok", "ok", "ok", "failed", "ok", "ok"),
                    rows.stream().map(n -> n.get("status").asText()).toList());
            assertFalse(r.all().contains("PLANTEDKEYVALUE"), r.all());
            assertFalse(Files.readString(dir.resolve("out/results.jsonl")).contains("PLANTEDKEYVALUE"));
            assertEquals(Set.of("glm-4-flash"), models);
        }
    }

    @Test
    void overridesReachTheRunAndEveryRecordSucceeding() throws Exception {
        Set<String> models = ConcurrentHashMap.newKeySet();
        try (GlmTestServer server = server(models)) {
            Path spec = glmSpec(dir, server, FEEDBACK.replace("糟糕", "很差"));
            Path csv = dir.resolve("results.csv");
            Cli.Result r = Cli.run(
                    "run",
                    spec.toString(),
                    "--set",
                    "model.name=glm-4-air",
                    "--set",
                    "task.labels=正面,负面,中性",
                    "--limit",
                    "4",
                    "--out",
                    csv.toString(),
                    "--progress",
                    "none");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("with glm-4-air: 4 records, 4 succeeded, 0 failed"), r.all());
            assertEquals(Set.of("glm-4-air"), models);
            assertEquals("", r.err(), "--progress none: nothing on stderr");
            List<String> lines = Files.readAllLines(csv);
            assertEquals(5, lines.size(), "header and four records: " + lines);
            assertTrue(lines.get(0).startsWith("index,id,status"), lines.get(0));
        }
    }

    @Test
    void aBadOverrideIsABadSpec() throws Exception {
        try (GlmTestServer server = server(ConcurrentHashMap.newKeySet())) {
            Path spec = glmSpec(dir, server, FEEDBACK);
            Cli.Result r = Cli.run("run", spec.toString(), "--set", "run.batchSize=many");
            assertEquals(2, r.code(), r.all());
            assertTrue(r.err().contains("$.run.batchSize"), r.all());
            assertTrue(r.err().lines().anyMatch(l -> l.startsWith("autoglm: 1 problem in ")), r.all());
            assertFalse(Files.exists(dir.resolve("out/results.jsonl")), "nothing was run");
        }
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Path spec = Cli.repo().resolve("examples/specs/quickstart.json");
        assertEquals(2, Cli.run("run").code());
        assertEquals(2, Cli.run("run", spec.toString(), "--limit", "0").code());
        assertEquals(2, Cli.run("run", spec.toString(), "--limit", "ten").code());
        Cli.Result txt =
                Cli.run("run", spec.toString(), "--out", dir.resolve("x.txt").toString());
        assertEquals(2, txt.code(), txt.all());
        assertTrue(txt.err().contains("--out"), txt.all());
        Cli.Result missing = Cli.run("run", dir.resolve("nope.json").toString());
        assertEquals(2, missing.code(), missing.all());
        assertEquals("autoglm: cannot read the spec " + dir.resolve("nope.json") + ": no such file\n", missing.err());
        Cli.Result unknown = Cli.run("run", spec.toString(), "--set", "model.name=gpt-9");
        assertEquals(2, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("quickstart.json:9:"), "points at the model: " + unknown.all());
        assertTrue(unknown.err().contains("$.model.name: no model provider serves this model name"), unknown.all());
        assertEquals(2, Cli.run("frobnicate").code());
        assertEquals(2, Cli.run("run", spec.toString(), "--no-such-flag").code());
    }

    @Test
    void aModelOptionTheProviderRefusesIsABadSpec() throws Exception {
        Path spec = Cli.repo().resolve("examples/specs/quickstart.json");
        Cli.Result r = Cli.run(
                "run",
                spec.toString(),
                "--set",
                "model.options.maxTokens=lots",
                "--out",
                dir.resolve("r.jsonl").toString(),
                "--progress",
                "none");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("maxTokens"), r.all());
        // as optimize says of the same spec
        Cli.Result o = Cli.run(
                "optimize",
                spec.toString(),
                "--set",
                "model.options.maxTokens=lots",
                "--set",
                "optimize.optimizers=demonstrations",
                "--dev",
                Cli.write(dir.resolve("dev.csv"), FEEDBACK),
                "--train",
                Cli.write(dir.resolve("train.csv"), FEEDBACK),
                "--out",
                dir.resolve("best.json"));
        assertEquals(2, o.code(), o.all());
    }

    @Test
    void aRunThatCannotStartExitsThreeWithOneLineAndNoStackTrace() throws Exception {
        Cli.write(dir.resolve("missing-source.json"), """
                {"version": 1,
                 "source": {"format": "csv", "path": "not-there.csv", "textColumn": "text"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]}}
                """);
        Cli.Result r = Cli.run("run", dir.resolve("missing-source.json").toString());
        assertEquals(3, r.code(), r.all());
        assertTrue(r.err().startsWith("autoglm: ") && r.err().contains("not-there.csv"), r.all());
        assertEquals(1, r.err().lines().count(), r.all());
        assertFalse(r.err().contains("\tat "), r.all());

        Cli.Result verbose = Cli.run("run", dir.resolve("missing-source.json").toString(), "--verbose");
        assertEquals(3, verbose.code(), verbose.all());
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace: " + verbose.all());

        // the key's variable is not set: the model cannot open
        Cli.write(dir.resolve("no-key.json"), """
                {"version": 1,
                 "source": {"format": "csv", "path": "feedback.csv", "textColumn": "text"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"]},
                 "model": {"name": "glm-4-flash", "options": {"apiKey": "${env:AUTOGLM_CLI_TEST_SURELY_UNSET}"}}}
                """);
        Cli.write(dir.resolve("feedback.csv"), FEEDBACK);
        Cli.Result key = Cli.run("run", dir.resolve("no-key.json").toString());
        assertEquals(3, key.code(), key.all());
        assertTrue(key.err().contains("AUTOGLM_CLI_TEST_SURELY_UNSET"), key.all());
    }
}

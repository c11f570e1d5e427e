package io.openautoglm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autoglm distill} against the GLM test server of {@link RunCommandTest}, whose teacher says 正面 exactly for
 * texts with 好 and refuses texts with 糟糕: right on every review here but the three "不好" ones, refused on three.
 */
class DistillCommandTest {
    private static final String[] GOOD = {"房间干净，好评", "服务好，很满意", "早餐很好吃", "位置好，交通方便"};
    private static final String[] BAD = {"隔壁太吵了", "价格偏贵不值", "卫生间有异味", "空调坏了没人修"};

    @TempDir
    Path dir;

    /** 30 rows: 12 good with 好, 12 bad without, 3 bad with 不好 (the teacher is wrong), 3 with 糟糕 (refused). */
    private static String csv() {
        StringBuilder s = new StringBuilder("text,label\n");
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 4; k++) {
                s.append(GOOD[k]).append("，第").append(i).append("次,正面\n");
                s.append(BAD[k]).append("，第").append(i).append("次,负面\n");
            }
            s.append("设施不好，第").append(i).append("次,负面\n");
            s.append("糟糕透了，第").append(i).append("次,负面\n");
        }
        return s.toString();
    }

    @Test
    void distilsReportsEveryRecordAndARunAgainPaysOnlyForTheRefusedOnes() throws Exception {
        Set<String> models = ConcurrentHashMap.newKeySet();
        try (GlmTestServer server = RunCommandTest.server(models)) {
            Path spec = RunCommandTest.glmSpec(dir, server, csv());
            Path out = dir.resolve("student");
            Object[] args = {
                "distill",
                spec,
                "--teacher",
                "glm-4-air",
                "--sample",
                100,
                "--out",
                out,
                "--epochs",
                1,
                "--batch-size",
                8,
                "--max-length",
                32,
                "--progress",
                "plain"
            };
            Cli.Result r = Cli.run(args);

            assertEquals(1, r.code(), "written, with records the teacher refused: " + r.all());
            assertTrue(
                    r.out().contains("teacher glm-4-air: 30 records sampled, 27 labelled, 3 failed (MODEL_REFUSED 3)"),
                    r.all());
            assertEquals(Set.of("glm-4-air"), models, "the teacher replaces the spec's model");
            assertEquals(30, server.requestCount());
            assertTrue(r.out().contains("student: trained on 19 teacher answers, epoch chosen on 3"), r.all());
            assertTrue(
                    r.out()
                            .lines()
                            .anyMatch(
                                    l -> l.matches(
                                            "agreement \\d\\.\\d{4} \\(5 held-back records, accuracy against the teacher's answers\\)")),
                    r.all());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("student-accuracy \\d\\.\\d{4}")), r.all());
            // refused rows are listed with their file and line: 糟糕 is on every 10th row, lines 11, 21, 31
            for (int line : new int[] {11, 21, 31}) {
                assertTrue(
                        r.out().contains("failed: " + (line - 1) + " (feedback.csv:" + line + ") MODEL_REFUSED"),
                        r.all());
            }
            assertTrue(r.err().contains("progress: 30 records (27 ok, 3 failed)"), r.all());
            assertTrue(r.err().contains("epoch 1: loss"), r.all());
            assertTrue(r.out().contains("model folder: " + out.toAbsolutePath()), r.all());
            assertFalse(r.all().contains("PLANTEDKEYVALUE"), r.all());

            // the teacher's accuracy as printed is the one its rule gives on the held-back rows
            JsonNode report = new ObjectMapper()
                    .readTree(out.resolve("distillation-report.json").toFile());
            List<String> rows = csv().lines().skip(1).toList();
            int right = 0;
            for (JsonNode h : report.get("heldBack")) {
                String row = rows.get(Integer.parseInt(h.get("id").asText()) - 1);
                String gold = row.substring(row.lastIndexOf(',') + 1);
                String said = row.contains("好") ? "正面" : "负面";
                assertEquals(gold, h.get("gold").asText());
                assertEquals(said, h.get("teacher").asText());
                right += said.equals(gold) ? 1 : 0;
            }
            long agreed = 0;
            for (JsonNode h : report.get("heldBack")) {
                agreed += h.get("teacher").asText().equals(h.get("student").asText()) ? 1 : 0;
            }
            assertTrue(
                    r.out().contains(String.format(java.util.Locale.ROOT, "agreement %.4f (5", agreed / 5.0)), r.all());
            assertTrue(
                    r.out()
                            .contains(String.format(
                                    java.util.Locale.ROOT,
                                    "teacher-accuracy %.4f (5 held-back records with gold answers)",
                                    right / 5.0)),
                    r.all());
            assertFalse(
                    Files.readString(out.resolve("distillation-report.json")).contains("PLANTEDKEYVALUE"));

            // again: answered records come from the journal, only the refused three are sent again
            Cli.Result again = Cli.run(args);
            assertEquals(1, again.code(), again.all());
            assertEquals(33, server.requestCount(), again.all());
            assertTrue(again.out().contains("teacher usage: calls=0 "), again.all());

            // as the last line says, the spec's GLM options left out
            assertTrue(
                    r.out()
                            .contains("run it: autoglm run " + spec + " --set model.name=local:" + out.toAbsolutePath()
                                    + " --set 'model.options={}'"),
                    r.all());
            Cli.Result ran = Cli.run(
                    "run",
                    spec,
                    "--set",
                    "model.name=local:" + out,
                    "--set",
                    "model.options={}",
                    "--out",
                    dir.resolve("r.jsonl"),
                    "--progress",
                    "none");
            assertEquals(0, ran.code(), ran.all());
            assertTrue(ran.out().contains("30 records, 30 succeeded"), ran.all());
        }
    }

    @Test
    void badUsageIsRefusedBeforeTheTeacherIsAsked() throws Exception {
        try (GlmTestServer server = RunCommandTest.server(ConcurrentHashMap.newKeySet())) {
            Path spec = RunCommandTest.glmSpec(dir, server, csv());
            Path m = dir.resolve("m");
            Map<String, Object[]> bad = new LinkedHashMap<>();
            bad.put(
                    "Missing required option: '--teacher=MODEL'",
                    new Object[] {"distill", spec, "--sample", 10, "--out", m});
            bad.put(
                    "--teacher: no model provider serves this model name",
                    new Object[] {"distill", spec, "--teacher", "no-such-model", "--sample", 10, "--out", m});
            bad.put("heldBackShare + devShare: expected less than 1, got 0.95 + 0.1", new Object[] {
                "distill", spec, "--teacher", "glm-4-flash", "--sample", 10, "--held-back", 0.95, "--out", m
            });
            bad.put(
                    "sample: expected at least 1 record, got 0",
                    new Object[] {"distill", spec, "--teacher", "glm-4-flash", "--sample", 0, "--out", m});
            bad.forEach((message, args) -> {
                Cli.Result r = Cli.run(args);
                assertEquals(2, r.code(), r.all());
                assertTrue(r.err().startsWith("autoglm: " + message), r.all());
            });
            assertEquals(0, server.requestCount(), "nothing was sent");
        }
    }
}

package io.openautoglm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Failure;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.glm.testing.GlmTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop against a GLM-protocol test server as teacher: a teacher right on all but a known few records, one
 * refused twice and one answer that is no label; the student trained briefly; the report checked record by record.
 */
class DistillerTest {
    private static final String KEY = "distill-test.PLANTEDKEYVALUE";
    private static final String[] GOOD = {"房间很干净", "服务热情周到", "早餐丰富好吃", "位置方便交通好", "床很舒服"};
    private static final String[] BAD = {"隔壁太吵了", "价格偏贵不值", "卫生间有异味", "空调坏了没人修", "服务态度差"};
    private static final TaskSpec TASK = TaskSpec.builder()
            .taskType(TaskType.TEXT_CLASSIFICATION)
            .promptTemplate("判断这条酒店评论的情感倾向:{text}")
            .labels("正面", "负面")
            .build();

    /** Records (1-based ids) the teacher labels wrongly, refuses, and answers with no label. */
    private static final Set<String> FLIPPED = Set.of("4", "13", "22", "31");

    private static final Set<String> REFUSED = Set.of("7", "26");
    private static final String UNPARSEABLE = "18";

    @TempDir
    Path dir;

    @Test
    void theTeacherLabelsTheStudentLearnsTheReportAddsUpAndASecondRunPaysNothingTwice() throws Exception {
        List<TextRecord> data = reviews();
        Map<String, TextRecord> byText = new HashMap<>();
        data.forEach(r -> byText.put(r.text(), r));
        try (GlmTestServer server = GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(call -> teacher(byText, call.lastUserMessage()))
                .faultRule(call -> REFUSED.contains(idOf(byText, call.lastUserMessage()))
                        ? GlmTestServer.Fault.CONTENT_FILTER_1301
                        : null)
                .build()
                .start()) {
            PipelineSpec spec = spec(server);
            Path out = dir.resolve("student");

            DistillationResult r = distiller(out).distill(spec, Dataset.of("reviews", data));

            // every record accounted for: 40 drawn, 3 failed, 37 labelled = 26 train + 4 dev + 7 held back
            assertEquals(40, r.sampled());
            assertEquals(37, r.labelled());
            assertEquals(3, r.failed());
            assertEquals(
                    Map.of(Failure.Kind.MODEL_REFUSED, 2L, Failure.Kind.UNPARSEABLE_ANSWER, 1L), r.failuresByKind());
            assertEquals(
                    List.of("7", UNPARSEABLE, "26"),
                    r.failures().stream().map(DistillationResult.Failed::id).toList());
            assertEquals(7, r.heldBack().size());
            assertEquals(4, r.devRecords());
            assertEquals(26, r.trainRecords());
            assertEquals(40, server.requestCount());
            assertEquals(38, r.teacherUsage().calls(), "every answered call is paid for, the unusable one too");
            assertEquals("glm-4-flash", r.teacher());

            // the teacher's labels are the scripted ones, and the accuracies follow from the held-back records
            Map<String, TextRecord> byId = new HashMap<>();
            data.forEach(d -> byId.put(d.id(), d));
            int teacherRight = 0;
            int studentRight = 0;
            int agreed = 0;
            for (DistillationResult.HeldBack h : r.heldBack()) {
                String gold = byId.get(h.id()).label();
                assertEquals(gold, h.gold());
                assertEquals(FLIPPED.contains(h.id()) ? flip(gold) : gold, h.teacher(), h.id());
                assertNotNull(h.student(), h.id());
                teacherRight += h.teacher().equals(gold) ? 1 : 0;
                studentRight += h.student().equals(gold) ? 1 : 0;
                agreed += h.student().equals(h.teacher()) ? 1 : 0;
            }
            assertEquals(7, r.goldRecords());
            assertEquals(agreed / 7.0, r.agreement(), 1e-12);
            assertEquals(teacherRight / 7.0, r.teacherGoldAccuracy(), 1e-12);
            assertEquals(studentRight / 7.0, r.studentGoldAccuracy(), 1e-12);

            // the folder serves through local:DIR and gives the labels the report holds
            List<TextRecord> heldTexts =
                    r.heldBack().stream().map(h -> byId.get(h.id())).toList();
            try (TaskPipeline p = TaskPipeline.builder()
                    .task(TASK)
                    .model("local:" + out)
                    .modelOption("maxTokens", "24")
                    .build()) {
                PipelineResult served = p.run(Dataset.of("held back", heldTexts));
                List<String> labels = served.results().stream()
                        .map(RecordResult::prediction)
                        .map(pr -> ((Prediction.Classification) pr).label())
                        .toList();
                assertEquals(
                        r.heldBack().stream()
                                .map(DistillationResult.HeldBack::student)
                                .toList(),
                        labels);
            }

            // the report in the folder says the same, names failures by id, and shows no key
            JsonNode report = new ObjectMapper()
                    .readTree(out.resolve("distillation-report.json").toFile());
            assertEquals(r.report(), out.resolve("distillation-report.json"));
            assertEquals(3, report.get("failed").asInt());
            assertEquals(2, report.get("failuresByKind").get("MODEL_REFUSED").asInt());
            assertEquals("7", report.get("failures").get(0).get("id").asText());
            assertEquals(r.agreement(), report.get("agreement").asDouble(), 1e-12);
            assertEquals(7, report.get("heldBack").size());
            assertEquals(
                    out.resolve(Distiller.JOURNAL_FILE).toAbsolutePath().toString(),
                    report.get("settings").get("journal").asText());
            String card = Files.readString(out.resolve("MODEL_CARD.md"));
            assertTrue(card.contains("## Distillation") && card.contains("37 of 40"), card);
            for (String f : List.of("distillation-report.json", "MODEL_CARD.md", "teacher.journal")) {
                assertTrue(!Files.readString(out.resolve(f)).contains("PLANTEDKEYVALUE"), f);
            }

            // again into the same folder: the journal answers every paid record; only the two refused are asked again
            DistillationResult again = distiller(out).distill(spec, Dataset.of("reviews", data));
            assertEquals(42, server.requestCount(), "only the records without a paid answer are sent again");
            assertEquals(0, again.teacherUsage().calls());
            assertEquals(r.failuresByKind(), again.failuresByKind());
            assertEquals(
                    r.heldBack().stream().map(DistillationResult.HeldBack::id).toList(),
                    again.heldBack().stream()
                            .map(DistillationResult.HeldBack::id)
                            .toList());
        }
    }

    @Test
    void aTeacherThatLabelsTooFewStopsBeforeTrainingAndATaskTheStudentCannotLearnBeforePaying() throws Exception {
        try (GlmTestServer server = GlmTestServer.builder()
                .apiKey(KEY)
                .faultRule(call -> GlmTestServer.Fault.CONTENT_FILTER_1301)
                .build()
                .start()) {
            PipelineSpec spec = spec(server);
            io.openautoglm.core.AutoGlmException none = assertThrows(
                    io.openautoglm.core.AutoGlmException.class,
                    () -> distiller(dir.resolve("none")).distill(spec, Dataset.of("reviews", reviews())));
            assertTrue(
                    none.getMessage().contains("labelled 0 of 40")
                            && none.getMessage().contains("MODEL_REFUSED"),
                    none.getMessage());
            assertTrue(!Files.exists(dir.resolve("none/model.onnx")));

            long before = server.requestCount();
            PipelineSpec ner = spec.withTask(TaskSpec.builder()
                    .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                    .entityTypes(List.of("地点"))
                    .build());
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> distiller(dir.resolve("ner")).distill(ner, Dataset.of("reviews", reviews())));
            assertTrue(e.getMessage().startsWith("task:"), e.getMessage());
            assertEquals(before, server.requestCount(), "nothing is sent for a task the student cannot learn");
        }
    }

    @Test
    void theBuilderNamesWhatIsMissingOrWrong() {
        LocalTrainer t = LocalTrainer.builder().output(dir).build();
        assertTrue(assertThrows(
                        IllegalStateException.class,
                        () -> Distiller.builder().student(t).build())
                .getMessage()
                .startsWith("sample:"));
        assertTrue(assertThrows(
                        IllegalStateException.class,
                        () -> Distiller.builder().sample(10).build())
                .getMessage()
                .startsWith("student:"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> Distiller.builder().heldBackShare(1.5))
                .getMessage()
                .contains("1.5"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> Distiller.builder()
                                .sample(10)
                                .student(t)
                                .heldBackShare(0.6)
                                .devShare(0.4)
                                .build())
                .getMessage()
                .startsWith("heldBackShare + devShare"));
    }

    private Distiller distiller(Path out) {
        return Distiller.builder()
                .teacher("glm-4-flash")
                .sample(60)
                .seed(3)
                .student(LocalTrainer.builder()
                        .output(out)
                        .epochs(2)
                        .batchSize(8)
                        .maxLength(24)
                        .seed(7)
                        .build())
                .build();
    }

    /** A spec whose model is local (the teacher replaces it) with the options the GLM teacher needs. */
    private PipelineSpec spec(GlmTestServer server) throws Exception {
        Path key = Files.writeString(dir.resolve("key.txt"), KEY + "\n");
        return PipelineSpec.builder()
                .task(TASK)
                .model(new PipelineSpec.ModelRef(
                        "glm-4-air",
                        Map.of(
                                "apiKey",
                                "${file:" + key.toAbsolutePath() + "}",
                                "baseUrl",
                                server.baseUrl(),
                                "maxAttempts",
                                "1")))
                .run(new PipelineSpec.RunSettings(4, 2, null, 5L))
                .build();
    }

    /** 40 reviews with gold labels and ids 1…40. */
    private static List<TextRecord> reviews() {
        List<TextRecord> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < GOOD.length; k++) {
                out.add(TextRecord.of(GOOD[k] + "，第" + i + "次入住", "正面"));
                out.add(TextRecord.of(BAD[k] + "，第" + i + "次入住", "负面"));
            }
        }
        List<TextRecord> withIds = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            withIds.add(out.get(i).toBuilder().id(String.valueOf(i + 1)).build());
        }
        return withIds;
    }

    private static String teacher(Map<String, TextRecord> byText, String prompt) {
        String id = idOf(byText, prompt);
        if (id.equals(UNPARSEABLE)) {
            return "无法判断";
        }
        String gold = byText.values().stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow()
                .label();
        return FLIPPED.contains(id) ? flip(gold) : gold;
    }

    private static String idOf(Map<String, TextRecord> byText, String prompt) {
        return byText.entrySet().stream()
                .filter(e -> prompt.contains(e.getKey()))
                .map(e -> e.getValue().id())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no known text in the prompt: " + prompt));
    }

    private static String flip(String label) {
        return label.equals("正面") ? "负面" : "正面";
    }
}

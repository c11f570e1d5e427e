package io.openautoglm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Entity;
import io.openautoglm.core.Failure;
import io.openautoglm.core.Metrics;
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
import java.util.HashSet;
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
                assertEquals(gold, label(h.gold()));
                assertEquals(FLIPPED.contains(h.id()) ? flip(gold) : gold, label(h.teacher()), h.id());
                assertNotNull(h.student(), h.id());
                teacherRight += label(h.teacher()).equals(gold) ? 1 : 0;
                studentRight += label(h.student()).equals(gold) ? 1 : 0;
                agreed += label(h.student()).equals(label(h.teacher())) ? 1 : 0;
            }
            assertEquals("accuracy", r.metric());
            assertEquals(7, r.goldRecords());
            assertEquals(agreed / 7.0, r.agreement(), 1e-12);
            assertEquals(teacherRight / 7.0, r.teacherGoldScore(), 1e-12);
            assertEquals(studentRight / 7.0, r.studentGoldScore(), 1e-12);
            assertEquals(7, r.studentGold().evaluated(), "the student failed on none");

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
                assertEquals(r.heldBack().stream().map(h -> label(h.student())).toList(), labels);
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
                    label(r.heldBack().get(0).teacher()),
                    report.get("heldBack").get(0).get("teacher").asText());
            assertEquals(studentRight / 7.0, report.get("studentGoldScore").asDouble(), 1e-12);
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

    /**
     * NER: the teacher names the entities of each text as JSON, misses the place in a known few, names one mention
     * the text does not hold, and gives one answer that is no JSON; the student learns the entities it found.
     */
    @Test
    void theStudentLearnsTheTeachersEntitiesAndIsScoredInEntityF1() throws Exception {
        String[] people = {"张三", "李四", "王五", "赵六"};
        String[] places = {"北京", "上海", "广州", "深圳"};
        List<TextRecord> data = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String person = people[i % 4];
            String place = places[(i / 4) % 4];
            // the first few with a full-width number, which the normaliser would change: their gold offsets must
            // still hold for the teacher's text and the student's
            String years = i < 5 ? String.valueOf((char) ('１' + i)) : String.valueOf(i + 1);
            String text = person + "在" + place + "工作了" + years + "年";
            data.add(TextRecord.builder()
                    .id(String.valueOf(i + 1))
                    .text(text)
                    .entities(List.of(new Entity(0, 2, "人名", person), new Entity(3, 5, "地点", place)))
                    .build());
        }
        Set<String> missesThePlace = Set.of("3", "10", "17");
        String invented = "5"; // names 杭州 besides the person: found nowhere, so no entity
        String noJson = "12";
        Map<String, TextRecord> byText = new HashMap<>();
        data.forEach(r -> byText.put(r.text(), r));
        try (GlmTestServer server = GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(call -> {
                    TextRecord r = byText.get(textIn(byText, call.lastUserMessage()));
                    if (r.id().equals(noJson)) {
                        return "没有找到实体";
                    }
                    Entity person = r.entities().get(0);
                    String other = missesThePlace.contains(r.id())
                            ? ""
                            : ", {\"type\": \"地点\", \"mention\": \""
                                    + (r.id().equals(invented)
                                            ? "杭州"
                                            : r.entities().get(1).mention()) + "\"}";
                    return "{\"entities\": [{\"type\": \"人名\", \"mention\": \"" + person.mention() + "\"}" + other
                            + "]}";
                })
                .build()
                .start()) {
            PipelineSpec spec = spec(server)
                    .withTask(TaskSpec.builder()
                            .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                            .entityTypes(List.of("人名", "地点"))
                            .build());
            Path out = dir.resolve("tagger");

            DistillationResult r = distiller(out, 4, 1e-4).distill(spec, Dataset.of("people", data));

            // 40 drawn, 1 answer no JSON, 39 answered = 27 train + 4 dev + 8 held back
            assertEquals(40, r.sampled());
            assertEquals(39, r.labelled());
            assertEquals(Map.of(Failure.Kind.UNPARSEABLE_ANSWER, 1L), r.failuresByKind());
            assertEquals(8, r.heldBack().size());
            assertEquals(4, r.devRecords());
            assertEquals(27, r.trainRecords());
            assertEquals("entity micro-F1", r.metric());

            // the answers are the gold and the scripted ones; the scores follow from them
            Map<String, TextRecord> byId = new HashMap<>();
            data.forEach(d -> byId.put(d.id(), d));
            int[] teacherCounts = new int[3];
            int[] studentCounts = new int[3];
            int[] agreementCounts = new int[3];
            for (DistillationResult.HeldBack h : r.heldBack()) {
                List<Entity> gold = byId.get(h.id()).entities();
                assertEquals(gold, entities(h.gold()), h.id());
                List<Entity> expected =
                        missesThePlace.contains(h.id()) || h.id().equals(invented) ? gold.subList(0, 1) : gold;
                assertEquals(expected, entities(h.teacher()), h.id());
                assertNotNull(h.student(), h.id());
                count(teacherCounts, gold, entities(h.teacher()));
                count(studentCounts, gold, entities(h.student()));
                count(agreementCounts, entities(h.teacher()), entities(h.student()));
            }
            assertEquals(8, r.goldRecords());
            assertTrue(
                    r.heldBack().stream().anyMatch(h -> Integer.parseInt(h.id()) <= 5),
                    "a text with a full-width number is held back, and scored against its gold");
            assertTrue(r.agreement() > 0.5, "the student learnt the teacher's entities: " + r.agreement());
            assertEquals(f1(agreementCounts), r.agreement(), 1e-12);
            assertEquals(f1(teacherCounts), r.teacherGoldScore(), 1e-12);
            assertEquals(f1(studentCounts), r.studentGoldScore(), 1e-12);
            assertEquals(
                    Set.of("人名", "地点"),
                    ((Metrics.EntityMetrics) r.studentGold()).perType().keySet());

            // the folder tags as the report says
            try (TaskPipeline p = TaskPipeline.builder()
                    .task(spec.task())
                    .model("local:" + out)
                    .modelOption("maxTokens", "24")
                    .build()) {
                List<TextRecord> held =
                        r.heldBack().stream().map(h -> byId.get(h.id())).toList();
                assertEquals(
                        r.heldBack().stream().map(h -> entities(h.student())).toList(),
                        p.run(Dataset.of("held back", held)).results().stream()
                                .map(x -> entities(x.prediction()))
                                .toList());
            }

            // the report gives entities by type and offsets, never their mentions
            JsonNode report = new ObjectMapper()
                    .readTree(out.resolve("distillation-report.json").toFile());
            assertEquals("entity micro-F1", report.get("metric").asText());
            JsonNode teacherAnswer = report.get("heldBack").get(0).get("teacher");
            assertEquals(entities(r.heldBack().get(0).teacher()).size(), teacherAnswer.size());
            assertEquals("人名", teacherAnswer.get(0).get("type").asText());
            assertEquals(0, teacherAnswer.get(0).get("start").asInt());
            assertTrue(!teacherAnswer.get(0).has("mention"), teacherAnswer.toString());
            assertTrue(report.get("studentGold").get("perType").has("地点"), report.toString());
        }
    }

    /**
     * Matching: the teacher answers yes or no for each pair, wrongly for a known few; every third pair's gold label is
     * no match decision, which sets its gold aside without failing the run.
     */
    @Test
    void theStudentLearnsTheTeachersMatchDecisions() throws Exception {
        String[] asks = {"怎么修改登录密码", "花呗怎么还款", "借呗额度怎么提升", "余额宝怎么转出"};
        String[] same = {"登录密码如何更改", "花呗如何还钱", "如何提高借呗额度", "余额宝的钱如何转出来"};
        List<TextRecord> data = new ArrayList<>();
        Map<String, Boolean> truth = new HashMap<>();
        for (int i = 0; i < 24; i++) {
            int k = i % 4;
            boolean match = (i / 4) % 2 == 0;
            String id = String.valueOf(i + 1);
            truth.put(id, match);
            data.add(TextRecord.builder()
                    .id(id)
                    .text(asks[k] + "第" + (i + 1) + "次")
                    .textB(match ? same[k] : same[(k + 1) % 4])
                    .label(i % 3 == 2 ? "maybe" : match ? "1" : "0")
                    .build());
        }
        Set<String> wrong = Set.of("2", "9", "20");
        Map<String, TextRecord> byText = new HashMap<>();
        data.forEach(r -> byText.put(r.text(), r));
        try (GlmTestServer server = GlmTestServer.builder()
                .apiKey(KEY)
                .answerer(call -> {
                    String id =
                            byText.get(textIn(byText, call.lastUserMessage())).id();
                    return truth.get(id) ^ wrong.contains(id) ? "yes" : "no";
                })
                .build()
                .start()) {
            PipelineSpec spec = spec(server)
                    .withTask(TaskSpec.builder()
                            .taskType(TaskType.SEMANTIC_MATCHING)
                            .build());
            DistillationResult r = distiller(dir.resolve("matcher")).distill(spec, Dataset.of("pairs", data));

            assertEquals(24, r.labelled());
            assertEquals(5, r.heldBack().size());
            assertEquals("accuracy", r.metric());
            int withGold = 0;
            int setAside = 0;
            int teacherRight = 0;
            int studentRight = 0;
            int agreed = 0;
            for (DistillationResult.HeldBack h : r.heldBack()) {
                boolean teacher = ((Prediction.Match) h.teacher()).matched();
                boolean student = ((Prediction.Match) h.student()).matched();
                assertEquals(truth.get(h.id()) ^ wrong.contains(h.id()), teacher, h.id());
                agreed += student == teacher ? 1 : 0;
                if (data.get(Integer.parseInt(h.id()) - 1).label().equals("maybe")) {
                    assertEquals(null, h.gold(), h.id());
                    setAside++;
                    continue;
                }
                boolean gold = ((Prediction.Match) h.gold()).matched();
                assertEquals(truth.get(h.id()), gold);
                withGold++;
                teacherRight += teacher == gold ? 1 : 0;
                studentRight += student == gold ? 1 : 0;
            }
            assertTrue(setAside > 0 && withGold > 0, "both kinds held back: " + setAside + " and " + withGold);
            assertEquals(setAside, r.goldSetAside());
            assertEquals(withGold, r.goldRecords());
            assertEquals(agreed / 5.0, r.agreement(), 1e-12);
            assertEquals((double) teacherRight / withGold, r.teacherGoldScore(), 1e-12);
            assertEquals((double) studentRight / withGold, r.studentGoldScore(), 1e-12);
            assertTrue(r.studentGold() instanceof Metrics.MatchingMetrics, String.valueOf(r.studentGold()));
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
                    .build()); // a tagger needs its entity types
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
        return distiller(out, 2, 5e-5);
    }

    private Distiller distiller(Path out, int epochs, double learningRate) {
        return Distiller.builder()
                .teacher("glm-4-flash")
                .sample(60)
                .seed(3)
                .student(LocalTrainer.builder()
                        .output(out)
                        .epochs(epochs)
                        .learningRate(learningRate)
                        .patience(epochs)
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

    private static String label(Prediction p) {
        return ((Prediction.Classification) p).label();
    }

    private static List<Entity> entities(Prediction p) {
        return ((Prediction.Entities) p).entities();
    }

    /** Adds {true positives, predicted, gold} of exact spans (start, end, type) to {@code counts}. */
    private static void count(int[] counts, List<Entity> gold, List<Entity> predicted) {
        Set<List<Object>> g = new HashSet<>();
        gold.forEach(e -> g.add(List.of(e.start(), e.end(), e.type())));
        for (Entity e : predicted) {
            counts[0] += g.contains(List.of(e.start(), e.end(), e.type())) ? 1 : 0;
        }
        counts[1] += predicted.size();
        counts[2] += gold.size();
    }

    private static double f1(int[] counts) {
        return counts[1] + counts[2] == 0 ? 0 : 2.0 * counts[0] / (counts[1] + counts[2]);
    }

    /** The longest known text in the prompt (one text may be the start of another). */
    private static String textIn(Map<String, TextRecord> byText, String prompt) {
        return byText.keySet().stream()
                .filter(prompt::contains)
                .max(java.util.Comparator.comparingInt(String::length))
                .orElseThrow(() -> new IllegalStateException("no known text in the prompt: " + prompt));
    }

    private static String flip(String label) {
        return label.equals("正面") ? "负面" : "正面";
    }
}

package io.openautoglm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Entity;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tagger with a CRF, trained on a few dozen sentences, served by the local engine as character spans. */
class NerTrainingTest {
    private static final String[] PEOPLE = {"张伟", "李娜", "王芳", "刘洋", "陈静", "赵磊", "孙丽", "周杰"};
    // full-width Latin, mixed script and plain Chinese: the spans must come back as characters of the text as given
    private static final String[] ORGS = {"ＡＢＣ公司", "OpenAI", "华为", "小米科技", "腾讯", "京东物流", "IBM中国", "百度"};
    private static final String[] TEMPLATES = {"P在O工作", "O的P今天来了", "昨天P去了O开会", "P说O很好"};

    private static final TaskSpec TASK = TaskSpec.builder()
            .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
            .entityTypes(List.of("PER", "ORG"))
            .build();

    @TempDir
    Path dir;

    @Test
    void learnsEntitiesAndTheFolderServesThemAsCharacterSpans() throws Exception {
        Path out = dir.resolve("ner");
        Dataset dev = sentences(5, 1);
        TrainingResult r = LocalTrainer.builder()
                .output(out)
                .epochs(4)
                .batchSize(8)
                .learningRate(1e-4)
                .maxLength(32)
                .seed(3)
                .patience(4)
                .build()
                .train(TASK, sentences(0, 5), dev);

        assertEquals("entity micro-F1 (token spans)", r.metric());
        assertTrue(
                r.epochs().get(r.epochs().size() - 1).loss() < r.epochs().get(0).loss(), r.epochs()::toString);
        assertTrue(r.devMetric() > 0.8, "dev entity F1 " + r.devMetric() + " after " + r.epochs());
        JsonNode head =
                new ObjectMapper().readTree(out.resolve("autoglm-head.json").toFile());
        assertEquals("named_entity_recognition", head.path("task").asText());
        assertEquals(5, head.path("weights").size(), "O, B-PER, I-PER, B-ORG, I-ORG");

        // served on ONNX Runtime: the same F1 as the trainer measured, and every span is the text's own characters
        try (TaskPipeline p =
                TaskPipeline.builder().task(TASK).model("local:" + out).build()) {
            var result = p.run(dev);
            Metrics.EntityMetrics m = (Metrics.EntityMetrics) result.metrics().orElseThrow();
            assertEquals(r.devMetric(), m.micro().f1(), 1e-9);
            for (RecordResult rr : result.results()) {
                assertTrue(rr.succeeded(), () -> String.valueOf(rr.failure()));
                Prediction.Entities e = (Prediction.Entities) rr.prediction();
                for (Entity entity : e.entities()) {
                    assertEquals(rr.record().text().substring(entity.start(), entity.end()), entity.mention());
                }
            }
            // the pipeline normalises a text without gold (ＡＢＣ becomes ABC): spans index the text it predicted on
            RecordResult one = p.run(Dataset.of("one", List.of(TextRecord.of("昨天孙丽去了ＡＢＣ公司开会"))))
                    .results()
                    .get(0);
            List<Entity> found = ((Prediction.Entities) one.prediction()).entities();
            String text = one.record().text();
            assertTrue(found.contains(new Entity(2, 4, "PER", "孙丽")), found::toString);
            assertTrue(found.contains(new Entity(6, 11, "ORG", text.substring(6, 11))), found + " in " + text);
        }
    }

    @Test
    void namesTheRecordWithAnUnknownEntityType() {
        Dataset bad = Dataset.of(
                "bad",
                List.of(TextRecord.builder()
                        .text("张伟在北京")
                        .entities(List.of(new Entity(3, 5, "LOC", "北京")))
                        .source("bad.jsonl:4")
                        .build()));
        AutoGlmException e = assertThrows(
                AutoGlmException.class,
                () -> LocalTrainer.builder()
                        .output(dir.resolve("x"))
                        .build()
                        .train(TASK, bad, Dataset.of("dev", List.of())));
        assertTrue(e.getMessage().contains("bad.jsonl:4") && e.getMessage().contains("LOC"), e.getMessage());
    }

    /** Every template with every person and organisation of a rotation, {@code rounds} rotations from {@code from}. */
    private static Dataset sentences(int from, int rounds) {
        List<TextRecord> records = new ArrayList<>();
        for (int round = from; round < from + rounds; round++) {
            for (int t = 0; t < TEMPLATES.length; t++) {
                for (int k = 0; k < 2; k++) {
                    String person = PEOPLE[(round * 3 + t + k * 5) % PEOPLE.length];
                    String org = ORGS[(round * 5 + t * 3 + k) % ORGS.length];
                    records.add(sentence(TEMPLATES[t], person, org));
                }
            }
        }
        return Dataset.of("sentences-" + from, records);
    }

    private static TextRecord sentence(String template, String person, String org) {
        StringBuilder text = new StringBuilder();
        List<Entity> entities = new ArrayList<>();
        for (char c : template.toCharArray()) {
            String part = c == 'P' ? person : c == 'O' ? org : String.valueOf(c);
            if (c == 'P' || c == 'O') {
                entities.add(new Entity(text.length(), text.length() + part.length(), c == 'P' ? "PER" : "ORG", part));
            }
            text.append(part);
        }
        return TextRecord.builder().text(text.toString()).entities(entities).build();
    }
}

package io.openautoglm.benchmarks.train;

import io.openautoglm.benchmarks.local.LocalBenchData;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Entity;
import io.openautoglm.core.Evaluator;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Columns;
import io.openautoglm.data.DataLoader;
import io.openautoglm.train.DistillationResult;
import io.openautoglm.train.Distiller;
import io.openautoglm.train.LocalTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Distils a stand-in NER teacher into the CRF tagger on CLUENER2020 and scores the student on the official dev split
 * (1,343 sentences, the benchmarks' test), served from its folder on ONNX Runtime. The teacher is the GLM-protocol test
 * server answering each training sentence with its gold entities as JSON, each entity left out with probability
 * {@code miss} (seeded per sentence): a teacher of precision 1 and recall about {@code 1 - miss}, whose answers reach
 * the student through the GLM provider, its journal, the entity alignment and the {@link Distiller}'s sample and
 * splits as a real GLM's would. Gold entities are read only to script the teacher and to score. The same rule applied
 * to the test sentences gives the teacher's own F1 there, beside the student's.
 *
 * <pre>
 * java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
 *     -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.train.NerDistillBenchmark [sample=4000] [epochs=3] [maxMinutes=30] \
 *     [out=target/cluener-distilled] [miss=0.15] [lr=1e-4]
 * </pre>
 */
public final class NerDistillBenchmark {
    private static final String PROMPT_PREFIX = "句子：";
    private static final String PROMPT_END = "\n实体类型";

    private NerDistillBenchmark() {}

    public static void main(String[] args) throws Exception {
        int sample = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double minutes = args.length > 2 ? Double.parseDouble(args[2]) : 30;
        Path out = Path.of(args.length > 3 ? args[3] : "target/cluener-distilled");
        double miss = args.length > 4 ? Double.parseDouble(args[4]) : 0.15;
        double rate = args.length > 5 ? Double.parseDouble(args[5]) : 1e-4;
        System.out.println("command: java … " + NerDistillBenchmark.class.getName() + " " + String.join(" ", args));
        System.out.println("machine: " + LocalBenchData.machine());

        List<TextRecord> train = cluener("train");
        List<TextRecord> test = cluener("dev");
        TreeSet<String> types = new TreeSet<>();
        train.forEach(r -> r.entities().stream().map(Entity::type).forEach(types::add));
        TaskSpec task = TaskSpec.builder()
                .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                .promptTemplate(PROMPT_PREFIX + "{text}")
                .entityTypes(List.copyOf(types))
                .build();
        Map<String, String> answers = new HashMap<>();
        train.forEach(r -> answers.put(r.text(), json(teacher(r, miss))));
        // the teacher answers a text the script does not know with no JSON: a failed record, counted and reported
        try (StandInTeacher teacher = new StandInTeacher(PROMPT_PREFIX, PROMPT_END, answers::get, "无法回答")) {
            PipelineSpec spec = PipelineSpec.builder()
                    .task(task)
                    .model(teacher.model())
                    .run(new PipelineSpec.RunSettings(32, 2, null, null))
                    .build();
            DistillationResult r = Distiller.builder()
                    .sample(sample)
                    .heldBackShare(0.1)
                    .devShare(0.1)
                    .seed(42)
                    .student(LocalTrainer.builder()
                            .output(out)
                            .epochs(epochs)
                            .learningRate(rate)
                            .maxTime(Duration.ofMillis(Math.round(minutes * 60_000)))
                            .listener(Progress.printer("dev (teacher entities)"))
                            .build())
                    .build()
                    .distill(spec, Dataset.of("cluener train", train));
            Progress.distilled(r, teacher.unknown(), teacher.requests());

            // the teacher's rule on the test sentences, and the student served from its folder
            Metrics.EntityMetrics teacherOnTest = (Metrics.EntityMetrics) Evaluator.evaluate(
                    Task.of(task),
                    test,
                    test.stream()
                            .map(t -> (Prediction) new Prediction.Entities(teacher(t, miss)))
                            .toList());
            Progress.entities("teacher's rule on test", teacherOnTest);
            for (Path folder :
                    List.of(r.training().folder(), r.training().folder().resolve("int8"))) {
                try (TaskPipeline p = TaskPipeline.builder()
                        .task(task)
                        .model("local:" + folder)
                        .build()) {
                    Progress.entities(
                            "student " + (folder.endsWith("int8") ? "int8" : "float32") + " on test",
                            (Metrics.EntityMetrics) p.run(Dataset.of("cluener dev", test))
                                    .metrics()
                                    .orElseThrow());
                }
            }
        }
        System.out.println("machine after: " + LocalBenchData.machine());
    }

    /** The gold entities less those the stand-in teacher misses, drawn from the sentence itself. */
    private static List<Entity> teacher(TextRecord r, double miss) {
        Random random = new Random(r.text().hashCode() * 31L + 17);
        List<Entity> kept = new ArrayList<>();
        for (Entity e : r.entities()) {
            if (random.nextDouble() >= miss) {
                kept.add(e);
            }
        }
        return kept;
    }

    private static String json(List<Entity> entities) {
        StringBuilder s = new StringBuilder("{\"entities\": [");
        for (int i = 0; i < entities.size(); i++) {
            Entity e = entities.get(i);
            s.append(i == 0 ? "" : ", ")
                    .append("{\"type\": \"")
                    .append(e.type())
                    .append("\", \"mention\": \"")
                    .append(e.mention().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\"}");
        }
        return s.append("]}").toString();
    }

    private static List<TextRecord> cluener(String split) {
        return DataLoader.fromJsonl(LocalBenchData.nlp().resolve("cluener2020").resolve(split + ".jsonl"))
                .load(Columns.builder().text("text").entities("entities").build())
                .toList();
    }
}

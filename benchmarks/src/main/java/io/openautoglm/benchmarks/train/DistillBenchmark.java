package io.openautoglm.benchmarks.train;

import io.openautoglm.benchmarks.local.LocalBenchData;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.TextRecord;
import io.openautoglm.train.DistillationResult;
import io.openautoglm.train.Distiller;
import io.openautoglm.train.LocalTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Distils a stand-in teacher into bge-small-zh on the ChnSentiCorp_htl training split and scores the student on the
 * test split, served from its folder on ONNX Runtime. The teacher is the GLM-protocol test server answering each
 * training text with its gold label, flipped for a seeded {@code flip} share of the texts (0.15: a teacher 85% right),
 * so the labels reach the student through the same code as a real GLM's would: the GLM provider, its journal, the
 * {@link Distiller}'s sample and splits. Gold labels are read only to script the teacher and to score. Target: test
 * accuracy of at least 0.90.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
 * java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.train.DistillBenchmark [sample=all] [epochs=3] [maxMinutes=30] \
 *     [out=target/chnsenticorp-distilled] [flip=0.15] [maxLength=256] [heldBack=0.1] [devShare=0.1]
 * </pre>
 *
 * Run it again with the same {@code out} and the journal answers every text: the teacher is not asked twice.
 */
public final class DistillBenchmark {
    private static final String PROMPT_PREFIX = "评论：";
    private static final String PROMPT_END = "\n只回答以下标签之一";

    private DistillBenchmark() {}

    public static void main(String[] args) throws Exception {
        int sample = args.length > 0 && !args[0].equals("all") ? Integer.parseInt(args[0]) : Integer.MAX_VALUE;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double minutes = args.length > 2 ? Double.parseDouble(args[2]) : 30;
        Path out = Path.of(args.length > 3 ? args[3] : "target/chnsenticorp-distilled");
        double flip = args.length > 4 ? Double.parseDouble(args[4]) : 0.15;
        int maxLength = args.length > 5 ? Integer.parseInt(args[5]) : 256;
        double heldBack = args.length > 6 ? Double.parseDouble(args[6]) : 0.1;
        double devShare = args.length > 7 ? Double.parseDouble(args[7]) : 0.1;
        System.out.println("command: java … " + DistillBenchmark.class.getName() + " " + String.join(" ", args));
        System.out.println("machine: " + LocalBenchData.machine());

        TaskSpec task = TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .promptTemplate(PROMPT_PREFIX + "{text}")
                .labels("正面", "负面")
                .build();
        Map<String, String> answers = teacherAnswers(flip, 2024);
        // the teacher answers a text the script does not know with no label: a failed record, counted and reported
        try (StandInTeacher teacher = new StandInTeacher(PROMPT_PREFIX, PROMPT_END, answers::get, "无法判断")) {
            PipelineSpec spec = PipelineSpec.builder()
                    .source(PipelineSpec.Source.csv(
                            LocalBenchData.nlp()
                                    .resolve("chnsenticorp_htl/train.csv")
                                    .toString(),
                            "text",
                            "label"))
                    .task(task)
                    .model(teacher.model())
                    .run(new PipelineSpec.RunSettings(32, 2, null, null))
                    .build();
            long started = System.nanoTime();
            AtomicLong nextReport = new AtomicLong(1000);
            DistillationResult r = Distiller.builder()
                    .sample(sample)
                    .heldBackShare(heldBack)
                    .devShare(devShare)
                    .seed(42)
                    .teacherProgress(p -> {
                        if (p.done() >= nextReport.get()) {
                            nextReport.addAndGet(1000);
                            System.out.printf(Locale.ROOT, "teacher: %d records, %.0f/s%n", p.done(), p.rate());
                        }
                    })
                    .student(LocalTrainer.builder()
                            .output(out)
                            .epochs(epochs)
                            .maxLength(maxLength)
                            .maxTime(Duration.ofMillis(Math.round(minutes * 60_000)))
                            .listener(Progress.printer("dev (teacher labels)"))
                            .build())
                    .build()
                    .distill(spec);
            Progress.distilled(r, teacher.unknown(), teacher.requests());
            try (TaskPipeline p = TaskPipeline.builder()
                    .task(task)
                    .model("local:" + r.training().folder())
                    .modelOption("maxTokens", String.valueOf(maxLength))
                    .build()) {
                PipelineResult test = p.run(LocalBenchData.chnSentiCorp("test"));
                Metrics.ClassificationMetrics m =
                        (Metrics.ClassificationMetrics) test.metrics().orElseThrow();
                System.out.printf(
                        Locale.ROOT,
                        "test (%d texts, student served on ONNX Runtime): accuracy %.4f, macro-F1 %.4f, target 0.90 "
                                + "%s; whole run %.0f s%n",
                        test.total(),
                        m.accuracy(),
                        m.macroF1(),
                        m.accuracy() >= 0.90 ? "met" : "missed",
                        (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.println("report: " + out.resolve("distillation-report.json").toAbsolutePath());
        System.out.println("machine after: " + LocalBenchData.machine());
    }

    /**
     * The stand-in teacher's answer for each training text, as the pipeline sends it (normalised): the gold label,
     * flipped for a seeded {@code flip} share of the records.
     */
    private static Map<String, String> teacherAnswers(double flip, long seed) {
        List<TextRecord> train = LocalBenchData.chnSentiCorp("train").toList();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int flipped = (int) Math.round(train.size() * flip);
        boolean[] wrong = new boolean[train.size()];
        for (int i = 0; i < flipped; i++) {
            wrong[order.get(i)] = true;
        }
        TextNormalizer normalizer = TextNormalizer.defaults();
        Map<String, String> answers = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            TextRecord r = train.get(i);
            if (!r.isValid() || r.label() == null) {
                continue;
            }
            String gold = r.label();
            answers.put(normalizer.normalize(r.text()), wrong[i] ? (gold.equals("正面") ? "负面" : "正面") : gold);
        }
        System.out.printf(
                Locale.ROOT,
                "stand-in teacher: %d training texts, gold label flipped for %d (%.1f%%, seed %d)%n",
                train.size(),
                flipped,
                100.0 * flipped / train.size(),
                seed);
        return answers;
    }
}

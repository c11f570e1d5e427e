package io.openautoglm.cli;

import io.openautoglm.core.Failure;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.train.DistillationResult;
import io.openautoglm.train.Distiller;
import io.openautoglm.train.LocalTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoglm distill SPEC --teacher MODEL --sample N --out DIR}: a large model answers a sample of the spec's
 * source (labels, match decisions or entities), the embedded encoder learns its answers.
 */
@Command(
        name = "distill",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        header = "Distils a teacher model into the embedded encoder and writes a model folder.",
        description = {
            "The --teacher labels --sample records drawn (with --seed) from the spec's source, as 'autoglm run' would "
                    + "run them with model.name set to the teacher: the spec's prompt, labels and model options "
                    + "(key, base URL, budget) hold. Its answers are journaled in DIR/teacher.journal unless the spec "
                    + "names a journal, so running again with the same --out pays only for records not yet answered.",
            "bge-small-zh is then fine-tuned on the teacher's answers (labels, match decisions or entities, as the "
                    + "spec's task asks; its epoch chosen on a --dev-share of them), and scored on a --held-back share "
                    + "it never saw: its agreement with the teacher, and where the source has gold answers, both "
                    + "models' accuracy (entity micro-F1 and per-type F1 for NER). Records the teacher did not answer "
                    + "are counted with their reason. DIR/distillation-report.json has every number and record.",
            "Exit 0 when the folder is written, 1 when it is written but the teacher failed on some records, 2 for a "
                    + "bad spec or usage, 3 when the teacher could not start or labelled too few records to train on."
        })
final class DistillCommand implements Callable<Integer> {
    /** Failed records listed on stdout at most; the report has all of them. */
    private static final int SHOWN_FAILURES = 10;

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "SPEC",
            description = "The pipeline spec (JSON): source, task, model options.")
    Path specFile;

    @Option(
            names = "--teacher",
            paramLabel = "MODEL",
            required = true,
            description = "The model that labels, e.g. glm-4-flash (the spec's model.name is set to it).")
    String teacher;

    @Option(names = "--sample", paramLabel = "N", required = true, description = "Records for the teacher to label.")
    int sample;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The model folder to write.")
    Path out;

    @Option(
            names = "--held-back",
            paramLabel = "SHARE",
            defaultValue = "0.2",
            description = "Share of the teacher's labels kept to score the student. Default: ${DEFAULT-VALUE}.")
    double heldBack;

    @Option(
            names = "--dev-share",
            paramLabel = "SHARE",
            defaultValue = "0.1",
            description = "Share of the teacher's labels that chooses the student's epoch. Default: ${DEFAULT-VALUE}.")
    double devShare;

    @Mixin
    TrainerOptions trainerOptions;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Overrides a field of the spec. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "The teacher's progress: auto, bar, plain or none. Default: ${DEFAULT-VALUE}.")
    ProgressReporter.Mode progress;

    @Override
    public Integer call() {
        if (Models.providers().stream().noneMatch(p -> p.supports(teacher))) {
            // the name is not repeated: whatever was typed there, it is no model's
            throw CliException.usage("--teacher: no model provider serves this model name; 'autoglm models' lists "
                    + "them, e.g. glm-4-flash");
        }
        // the teacher as a --set would name it, so that the spec's own checks (and their messages) apply to it
        Map<String, String> withTeacher = new LinkedHashMap<>(overrides);
        withTeacher.put("model.name", teacher);
        PipelineSpec s = Specs.read(specFile, withTeacher);
        Specs.requireSource(s, specFile);
        Specs.requireProvider(s, specFile, withTeacher);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ProgressReporter reporter = ProgressReporter.create(progress, stderr, Duration.ofSeconds(5));
        AtomicBoolean teacherDone = new AtomicBoolean();
        Runnable endTeacherProgress = () -> {
            if (teacherDone.compareAndSet(false, true)) {
                reporter.finish();
            }
        };
        LocalTrainer student = trainerOptions.trainer(out, stderr, endTeacherProgress, s.normalizer());
        Distiller distiller;
        try {
            distiller = Distiller.builder()
                    .sample(sample)
                    .heldBackShare(heldBack)
                    .devShare(devShare)
                    .seed(trainerOptions.seed)
                    .student(student)
                    .teacherProgress(reporter)
                    .build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(AutoGlmCli.describe(e));
        }
        DistillationResult r;
        try {
            r = distiller.distill(s);
        } catch (IllegalArgumentException e) {
            // a task the student cannot learn, an option the teacher's provider refuses: nothing was paid for
            throw CliException.usage(AutoGlmCli.describe(e));
        } finally {
            endTeacherProgress.run();
        }
        print(stdout, r, !s.model().options().isEmpty());
        return r.failed() > 0 ? AutoGlmCli.FAILED_RECORDS : AutoGlmCli.OK;
    }

    private void print(PrintWriter stdout, DistillationResult r, boolean teacherOptions) {
        stdout.printf(
                Locale.ROOT,
                "teacher %s: %d records sampled, %d labelled, %d failed%s%n",
                r.teacher(),
                r.sampled(),
                r.labelled(),
                r.failed(),
                r.failed() == 0 ? "" : " (" + byKind(r.failuresByKind()) + ")");
        stdout.println("teacher usage: " + r.teacherUsage());
        stdout.printf(
                Locale.ROOT,
                "student: trained on %d teacher answers, epoch chosen on %d; best epoch %d of %d%s, %.0f s%n",
                r.trainRecords(),
                r.devRecords(),
                r.training().bestEpoch(),
                r.training().epochs().size(),
                r.training().stoppedEarly() ? " (stopped early)" : "",
                r.training().seconds());
        stdout.printf(
                Locale.ROOT,
                "agreement %.4f (%d held-back records, %s against the teacher's answers)%n",
                r.agreement(),
                r.heldBack().size(),
                r.metric());
        if (r.goldRecords() > 0) {
            String metric = r.metric().replace(' ', '-'); // accuracy, entity-micro-F1
            stdout.printf(
                    Locale.ROOT,
                    "teacher-%s %.4f (%d held-back records with gold answers)%n",
                    metric,
                    r.teacherGoldScore(),
                    r.goldRecords());
            long studentScored = r.studentGold().evaluated();
            stdout.printf(
                    Locale.ROOT,
                    "student-%s %.4f%s%n",
                    metric,
                    r.studentGoldScore(),
                    studentScored < r.goldRecords() ? " (on the " + studentScored + " it did not fail on)" : "");
            if (r.studentGold() instanceof Metrics.EntityMetrics e) {
                e.perType()
                        .forEach((type, prf) -> stdout.printf(
                                Locale.ROOT, "student-F1 %s %.4f (support %d)%n", type, prf.f1(), prf.support()));
            }
        }
        List<DistillationResult.Failed> failures = r.failures();
        for (DistillationResult.Failed f : failures.subList(0, Math.min(SHOWN_FAILURES, failures.size()))) {
            stdout.printf(
                    "failed: %s%s %s: %s%n",
                    f.id(),
                    f.source() == null ? "" : " (" + f.source() + ")",
                    f.failure().kind(),
                    f.failure().message());
        }
        if (failures.size() > SHOWN_FAILURES) {
            stdout.printf("… %d more failed records in the report%n", failures.size() - SHOWN_FAILURES);
        }
        Path folder = r.training().folder().toAbsolutePath();
        stdout.println("model folder: " + folder);
        stdout.println("report: " + r.report().toAbsolutePath());
        // the spec's options are the teacher's, which the local engine would refuse
        stdout.printf(
                "run it: autoglm run %s --set model.name=local:%s%s%n",
                specFile, folder, teacherOptions ? " --set 'model.options={}'" : "");
        stdout.flush();
    }

    private static String byKind(Map<Failure.Kind, Long> byKind) {
        StringBuilder s = new StringBuilder();
        byKind.forEach((k, n) ->
                s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(n));
        return s.toString();
    }
}

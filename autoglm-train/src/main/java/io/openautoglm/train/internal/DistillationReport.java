package io.openautoglm.train.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Usage;
import io.openautoglm.train.DistillationResult;
import io.openautoglm.train.TrainingResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a distillation's report into the student's model folder, {@value #FILE}, and sums it up in the folder's
 * {@code MODEL_CARD.md}. The report names records by id and source line and entities by type and offsets: the texts
 * stay in the data (a failure's reason may quote the model's answer, as a pipeline's failures do).
 */
public final class DistillationReport {
    public static final String FILE = "distillation-report.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DistillationReport() {}

    public static void write(DistillationResult r, Map<String, Object> settings) throws IOException {
        Path folder = r.training().folder();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("teacher", r.teacher());
        json.put("settings", settings);
        json.put("sampled", r.sampled());
        json.put("labelled", r.labelled());
        json.put("failed", r.failed());
        json.put("failuresByKind", r.failuresByKind());
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("train", r.trainRecords());
        split.put("dev", r.devRecords());
        split.put("heldBack", r.heldBack().size());
        json.put("split", split);
        json.put("metric", r.metric());
        json.put("agreement", number(r.agreement()));
        json.put("goldRecords", r.goldRecords());
        json.put("goldSetAside", r.goldSetAside());
        json.put("teacherGoldScore", number(r.teacherGoldScore()));
        json.put("studentGoldScore", number(r.studentGoldScore()));
        // per label (confusion included) or per entity type
        json.put("teacherGold", r.teacherGold());
        json.put("studentGold", r.studentGold());
        Usage u = r.teacherUsage();
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("calls", u.calls());
        usage.put("promptTokens", u.promptTokens());
        usage.put("completionTokens", u.completionTokens());
        usage.put("cost", u.cost());
        usage.put("seconds", u.elapsed().toMillis() / 1000.0);
        json.put("teacherUsage", usage);
        TrainingResult t = r.training();
        Map<String, Object> student = new LinkedHashMap<>();
        student.put("bestEpoch", t.bestEpoch());
        student.put("epochs", t.epochs().size());
        student.put("devAgreement", number(t.devMetric()));
        student.put("stoppedEarly", t.stoppedEarly());
        student.put("seconds", t.seconds());
        json.put("student", student);
        List<Map<String, Object>> failures = new ArrayList<>();
        for (DistillationResult.Failed f : r.failures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("source", f.source());
            m.put("kind", f.failure().kind().name());
            m.put("message", f.failure().message());
            failures.add(m);
        }
        json.put("failures", failures);
        List<Map<String, Object>> heldBack = new ArrayList<>();
        for (DistillationResult.HeldBack h : r.heldBack()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", h.id());
            m.put("source", h.source());
            m.put("gold", answer(h.gold()));
            m.put("teacher", answer(h.teacher()));
            m.put("student", answer(h.student()));
            heldBack.add(m);
        }
        json.put("heldBack", heldBack);
        atomically(folder.resolve(FILE), JSON.writeValueAsBytes(json));

        Path card = folder.resolve("MODEL_CARD.md");
        if (Files.isRegularFile(card)) {
            atomically(
                    card,
                    (Files.readString(card, StandardCharsets.UTF_8) + "\n" + cardSection(r))
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String cardSection(DistillationResult r) {
        StringBuilder s = new StringBuilder("## Distillation\n\n");
        s.append(String.format(
                Locale.ROOT,
                "- Teacher: %s labelled %d of %d sampled records (%d failed%s)%n",
                r.teacher(),
                r.labelled(),
                r.sampled(),
                r.failed(),
                r.failed() == 0 ? "" : ": " + byKind(r)));
        s.append(String.format(
                Locale.ROOT,
                "- Student: trained on %d teacher labels, epoch chosen on %d, %d held back%n",
                r.trainRecords(),
                r.devRecords(),
                r.heldBack().size()));
        s.append(String.format(
                Locale.ROOT,
                "- Agreement with the teacher on the held-back records (%s against the teacher's answers): %.4f%n",
                r.metric(),
                r.agreement()));
        if (r.goldRecords() > 0) {
            s.append(String.format(
                    Locale.ROOT,
                    "- Gold %s on %d held-back records: teacher %.4f, student %.4f%s%n",
                    r.metric(),
                    r.goldRecords(),
                    r.teacherGoldScore(),
                    r.studentGoldScore(),
                    r.studentGold().evaluated() < r.goldRecords()
                            ? " (on the " + r.studentGold().evaluated() + " it did not fail on)"
                            : ""));
        }
        if (r.goldSetAside() > 0) {
            s.append(String.format(
                    Locale.ROOT,
                    "- %d held-back records have a gold answer the task refuses: not scored against it%n",
                    r.goldSetAside()));
        }
        s.append(String.format(
                Locale.ROOT,
                "- Teacher usage this run: %d calls, %d tokens, cost %.4f%n",
                r.teacherUsage().calls(),
                r.teacherUsage().totalTokens(),
                r.teacherUsage().cost()));
        s.append("- Every record: ").append(FILE).append('\n');
        return s.toString();
    }

    private static String byKind(DistillationResult r) {
        StringBuilder s = new StringBuilder();
        r.failuresByKind()
                .forEach((k, n) -> s.append(s.length() == 0 ? "" : ", ")
                        .append(k)
                        .append(' ')
                        .append(n));
        return s.toString();
    }

    /**
     * An answer as the report lists it: a label, a match as 1 or 0, entities as type and offsets (their mentions are
     * the data's text, which the report leaves in the data); null for none.
     */
    private static Object answer(Prediction p) {
        if (p instanceof Prediction.Classification c) {
            return c.label();
        }
        if (p instanceof Prediction.Match m) {
            return m.matched() ? "1" : "0";
        }
        if (p instanceof Prediction.Entities e) {
            return e.entities().stream()
                    .map(x -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("type", x.type());
                        m.put("start", x.start());
                        m.put("end", x.end());
                        return m;
                    })
                    .toList();
        }
        return null;
    }

    /** NaN (nothing to measure) as JSON null rather than the non-JSON token NaN. */
    private static Double number(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static void atomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

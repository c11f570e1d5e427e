package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.PipelineSpecException.Problem;
import io.openautoglm.core.testing.KeywordProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineSpecTest {
    private static final String MINIMAL = """
            {"version": 1,
             "source": {"format": "csv", "path": "user_feedback.csv", "textColumn": "text", "labelColumn": "label"},
             "task":   {"type": "TEXT_CLASSIFICATION", "template": "判断以下用户反馈的情感倾向:{text}", "labels": ["正面", "负面", "中性"]},
             "model":  {"name": "local:bge-small-zh", "options": {}},
             "run":    {"batchSize": 16, "concurrency": 2},
             "sink":   {"format": "jsonl", "path": "results.jsonl"}}
            """;

    @TempDir
    Path dir;

    @Test
    void theMinimalShapeReadsAndWritesBackTheSame() {
        PipelineSpec spec = PipelineSpec.fromJson(MINIMAL, dir);
        assertEquals("csv", spec.source().format());
        assertEquals("label", spec.source().labelColumn());
        assertEquals(TaskType.TEXT_CLASSIFICATION, spec.task().type());
        assertEquals(List.of("正面", "负面", "中性"), spec.task().labelNames());
        assertEquals("local:bge-small-zh", spec.model().name());
        assertEquals(16, spec.run().batchSize());
        assertEquals(2, spec.run().concurrency());
        assertEquals("results.jsonl", spec.sink().path());
        PipelineSpec again = PipelineSpec.fromJson(spec.toJson(), dir);
        assertEquals(spec, again);
        assertEquals(spec.toJson(), again.toJson());
    }

    @Test
    void fivePlantedMistakesAreAllReportedWithPathAndLineColumnAndTheKeyNowhere() {
        String secret = "sk-9f8e7d6c5b4a.PLANTEDSECRET";
        String json = """
                {"version": 1,
                 "source": {"format": "csv", "path": "in.csv", "textColumn": "text", "textColum": "x"},
                 "task": {"type": "TEXT_CLASSIFICATION", "template": "{text}"},
                 "model": {"name": "glm-4-flash", "options": {"apiKey": "%s"}},
                 "run": {"batchSize": "sixteen", "errorMode": "IGNORE"}}
                """.formatted(secret);
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpec.fromJson(json, dir));
        List<Problem> p = e.problems();
        assertEquals(5, p.size(), e.getMessage());
        assertProblem(p, "$.source.textColum", 2, "unknown field 'textColum'");
        assertProblem(p, "$.task", 3, "missing labels");
        assertProblem(p, "$.model.options.apiKey", 4, "${env:");
        assertProblem(p, "$.run.batchSize", 5, "wrong type");
        assertProblem(p, "$.run.errorMode", 5, "COLLECT");
        assertFalse(e.getMessage().contains("PLANTEDSECRET"), e.getMessage());
        for (Problem problem : p) {
            assertTrue(problem.column() > 0, problem.toString());
            assertFalse(problem.toString().contains("PLANTEDSECRET"));
        }
    }

    private static void assertProblem(List<Problem> problems, String path, int line, String words) {
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.path().equals(path)
                                && p.line() == line
                                && p.message().contains(words)),
                "no problem at " + path + " line " + line + " saying '" + words + "' in " + problems);
    }

    @Test
    void anInlineKeyIsRefusedInJavaToo() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PipelineSpec.builder()
                        .task(TaskSpec.builder()
                                .taskType(TaskType.TEXT_CLASSIFICATION)
                                .labels("a", "b")
                                .build())
                        .model(new PipelineSpec.ModelRef("glm-4-flash", Map.of("apiKey", "abc.SECRETVALUE")))
                        .build());
        assertTrue(e.getMessage().contains("${env:"));
        assertFalse(e.getMessage().contains("SECRETVALUE"));
        // and an inline password of a jdbc source
        String json = """
                {"version": 1, "source": {"format": "jdbc", "url": "jdbc:h2:mem:x", "query": "select 1",
                 "textColumn": "t", "password": "hunter2"}, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]}}
                """;
        PipelineSpecException pe = assertThrows(PipelineSpecException.class, () -> PipelineSpec.fromJson(json));
        assertEquals("$.source.password", pe.problems().get(0).path());
        assertFalse(pe.getMessage().contains("hunter2"));
    }

    @Test
    void aPasswordWrittenIntoAJdbcUrlIsRefusedAsAnInlineSecret() {
        for (String url : List.of(
                "jdbc:postgresql://db/x?user=app&password=hunter2",
                "jdbc:mysql://app:hunter2@db:3306/x",
                "jdbc:oracle:thin:app/hunter2@db:1521/x",
                "jdbc:sqlserver://db:1433;user=app;Password=hunter2")) {
            String json = """
                    {"version": 1,
                     "source": {"format": "jdbc", "url": "%s", "query": "select t from x", "textColumn": "t"},
                     "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]}}
                    """.formatted(url);
            PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpec.fromJson(json), url);
            assertEquals("$.source.url", e.problems().get(0).path(), e.getMessage());
            assertEquals(2, e.problems().get(0).line(), e.getMessage());
            assertTrue(e.getMessage().contains("${env:"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            PipelineSpec.Source javaSource = new PipelineSpec.Source(
                    "jdbc",
                    null,
                    url,
                    null,
                    null,
                    "select 1",
                    "t",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
            IllegalArgumentException j = assertThrows(
                    IllegalArgumentException.class,
                    () -> PipelineSpec.builder()
                            .task(TaskSpec.builder()
                                    .taskType(TaskType.TEXT_CLASSIFICATION)
                                    .labels("a", "b")
                                    .build())
                            .source(javaSource)
                            .build());
            assertFalse(j.getMessage().contains("hunter2"), j.getMessage());
        }
        // a port, a user without a password, and the password as a reference are fine
        PipelineSpec.fromJson("""
                {"version": 1,
                 "source": {"format": "jdbc", "url": "jdbc:postgresql://db:5432/x?user=app&sslmode=require",
                            "password": "${env:DB_PASSWORD}", "query": "select t from x", "textColumn": "t"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]}}
                """);
    }

    @Test
    void aKeyPastedWhereTheModelNameBelongsIsNotRepeated() {
        String key = "0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp";
        PipelineSpec spec = PipelineSpec.fromJson("""
                {"version": 1, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]}, "model": {"name": "%s"}}
                """.formatted(key));
        AutoGlmException e = assertThrows(
                AutoGlmException.class, () -> TaskPipeline.builder().spec(spec).build());
        assertFalse(e.getMessage().contains("AbCdEfGhIjKlMnOp"), e.getMessage());
        assertTrue(e.getMessage().contains("looks like an API key"), e.getMessage());
    }

    @Test
    void secretReferencesResolveWhenThePipelineIsBuiltFromEnvironmentAndFile() throws Exception {
        Files.writeString(dir.resolve("key.txt"), "file-secret\n");
        String json = """
                {"version": 1, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"]},
                 "model": {"name": "fake:keywords", "options": {"apiKey": "${file:key.txt}"}}}
                """;
        PipelineSpec spec = PipelineSpec.fromJson(json, dir);
        assertEquals("${file:key.txt}", spec.model().options().get("apiKey"));
        try (TaskPipeline p = TaskPipeline.builder().spec(spec).build()) {
            assertEquals(TaskType.TEXT_CLASSIFICATION, p.spec().type());
        }
        // the spec written back still holds the reference, never the value
        assertTrue(spec.toJson().contains("${file:key.txt}"));
        assertFalse(spec.toJson().contains("file-secret"));
        // a missing variable is named, and nothing else
        PipelineSpec missing = PipelineSpec.fromJson(
                json.replace("${file:key.txt}", "${env:AUTOGLM_TEST_SURELY_UNSET_VARIABLE}"), dir);
        AutoGlmException e = assertThrows(
                AutoGlmException.class,
                () -> TaskPipeline.builder().spec(missing).build());
        assertTrue(e.getMessage().contains("AUTOGLM_TEST_SURELY_UNSET_VARIABLE"), e.getMessage());
    }

    @Test
    void relativePathsResolveAgainstTheSpecFilesFolderAndAreRewrittenWhenWrittenElsewhere() throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Path file = specs.resolve("s.json");
        Files.writeString(file, MINIMAL);
        PipelineSpec spec = PipelineSpec.read(file);
        assertEquals(specs.toAbsolutePath().normalize(), spec.baseDir());
        assertEquals(
                specs.resolve("user_feedback.csv").toAbsolutePath().normalize(),
                spec.resolve(spec.source().path()));
        Path other = Files.createDirectories(dir.resolve("out/deeper")).resolve("copy.json");
        spec.write(other);
        PipelineSpec copy = PipelineSpec.read(other);
        assertEquals("../../specs/user_feedback.csv", copy.source().path());
        assertEquals(
                spec.resolve(spec.source().path()), copy.resolve(copy.source().path()));
        assertEquals(spec.resolve(spec.sink().path()), copy.resolve(copy.sink().path()));
    }

    @Test
    void fileReferencesRelativeToTheSpecAreRewrittenWhenItIsWrittenElsewhere() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("key.txt"), "file-secret\n");
        Files.writeString(a.resolve("s.json"), """
                {"version": 1,
                 "source": {"format": "jdbc", "url": "jdbc:h2:mem:x", "query": "select 1", "textColumn": "t",
                            "password": "${file:pw.txt}"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"]},
                 "model": {"name": "fake:keywords", "options": {"apiKey": "${file:key.txt}"}}}
                """);
        PipelineSpec spec = PipelineSpec.read(a.resolve("s.json"));
        Path copyFile = Files.createDirectories(dir.resolve("b/c")).resolve("copy.json");
        spec.write(copyFile);
        PipelineSpec copy = PipelineSpec.read(copyFile);
        assertEquals("${file:../../a/key.txt}", copy.model().options().get("apiKey"));
        assertEquals("${file:../../a/pw.txt}", copy.source().password());
        assertEquals("file-secret", copy.resolvedModelOptions().get("apiKey"));
        try (TaskPipeline p = TaskPipeline.builder().spec(copy).build()) {
            assertEquals(TaskType.TEXT_CLASSIFICATION, p.spec().type());
        }
        // toJson keeps the references as written
        assertTrue(spec.toJson().contains("\"${file:key.txt}\""), spec.toJson());
        // an examples source's password, when its task moves to a spec in another folder
        PipelineSpec examples = PipelineSpec.fromJson("""
                {"version": 1, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"],
                 "examplesSource": {"format": "jdbc", "url": "jdbc:h2:mem:x", "query": "select 1", "textColumn": "t",
                                    "password": "${file:pw.txt}"}}}
                """, a);
        PipelineSpec moved = PipelineSpec.builder()
                .task(examples.task())
                .baseDir(copyFile.getParent())
                .build();
        assertEquals(
                "${file:../../a/pw.txt}",
                new ObjectMapper()
                        .readTree(moved.toJson())
                        .path("task")
                        .path("examplesSource")
                        .path("password")
                        .asText());
    }

    @Test
    void aBadTemplateFieldIsAProblemOfTheSpecWithoutItsValue() {
        for (String field : List.of("sk-9f8e7d6c5b4a.PLANTED", "text")) {
            String json = """
                    {"version": 1,
                     "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"], "template": "{text}",
                              "fields": ["product", "%s"]}}
                    """.formatted(field);
            PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpec.fromJson(json));
            assertEquals("$.task.fields[1]", e.problems().get(0).path(), e.getMessage());
            assertEquals(3, e.problems().get(0).line(), e.getMessage());
            assertFalse(e.getMessage().contains("PLANTED"), e.getMessage());
        }
    }

    @Test
    void fieldsWithoutATemplateAreRefusedRatherThanDropped() {
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpec.fromJson("""
                {"version": 1,
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"], "fields": ["product"]}}
                """));
        assertEquals("$.task.fields", e.problems().get(0).path(), e.getMessage());
        assertEquals(2, e.problems().get(0).line(), e.getMessage());
    }

    @Test
    void anUnknownPlaceholderIsPlacedButNotRepeated() {
        String json = """
                {"version": 1,
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"],
                          "template": "判断:{text} {sk-9f8e7d6c5b4a.PLANTED}"}}
                """;
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpec.fromJson(json));
        Problem p = e.problems().get(0);
        assertEquals("$.task.template", p.path());
        assertEquals(3, p.line());
        assertTrue(p.message().contains("unknown placeholder at character 10"), p.message());
        assertTrue(p.message().contains("\"fields\""), "says how to declare a field in a spec: " + p.message());
        assertFalse(e.getMessage().contains("PLANTED"), e.getMessage());
    }

    @Test
    void anEmptyItemInAListOverrideIsRefusedNotDropped() throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, MINIMAL);
        PipelineSpecException e =
                assertThrows(PipelineSpecException.class, () -> PipelineSpec.read(file, Map.of("task.labels", "好,,坏")));
        assertTrue(e.getMessage().contains("item 2 of the list is empty"), e.getMessage());
    }

    @Test
    void overridesUseJsonFieldNamesAndAreCheckedLikeTheFile() throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, MINIMAL);
        PipelineSpec spec = PipelineSpec.read(
                file,
                Map.of("model.name", "glm-4-flash", "task.labels", "好,坏", "run.batchSize", "4", "run.limit", "10"));
        assertEquals("glm-4-flash", spec.model().name());
        assertEquals(List.of("好", "坏"), spec.task().labelNames());
        assertEquals(4, spec.run().batchSize());
        assertEquals(10L, spec.run().limit());
        PipelineSpecException e = assertThrows(
                PipelineSpecException.class,
                () -> PipelineSpec.read(file, Map.of("run.batchSize", "many", "model.options.apiKey", "sk-LEAK")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertFalse(e.getMessage().contains("sk-LEAK"));
    }

    @Test
    void anOverrideThatLooksLikeANumberStaysTextInATextFieldTheFileLeavesOut() throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, MINIMAL);
        // a CSV without a header row names its columns 1, 2, …
        PipelineSpec spec =
                PipelineSpec.read(file, Map.of("source.idColumn", "1", "source.header", "false", "run.limit", "3"));
        assertEquals("1", spec.source().idColumn());
        assertEquals(Boolean.FALSE, spec.source().header());
        assertEquals(3L, spec.run().limit());
    }

    @Test
    void aProblemOfAnOverrideSaysSoAndIsNotPlacedOnAnotherPartOfTheFile() throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, MINIMAL);
        PipelineSpecException e = assertThrows(
                PipelineSpecException.class,
                () -> PipelineSpec.read(file, Map.of("run.errorMode", "SOMETIMES", "run.batchSize", "many")));
        Problem mode = e.problems().stream()
                .filter(p -> p.path().equals("$.run.errorMode"))
                .findFirst()
                .orElseThrow();
        assertEquals(0, mode.line(), "not in the file, so not placed there (it was put on the run object): " + mode);
        assertTrue(mode.message().contains("--set run.errorMode"), mode.toString());
        Problem batch = e.problems().stream()
                .filter(p -> p.path().equals("$.run.batchSize"))
                .findFirst()
                .orElseThrow();
        assertEquals(5, batch.line(), "the field the override replaced: " + batch);
        assertTrue(batch.message().contains("--set run.batchSize"), batch.toString());
        List<Problem> checked = PipelineSpec.validate(file, Map.of("source.path", "elsewhere/missing.csv"));
        assertTrue(
                checked.stream()
                        .anyMatch(p ->
                                p.path().equals("$.source.path") && p.message().contains("--set source.path")),
                checked.toString());
    }

    @Test
    void jsonTextIsValidatedAsAFileIsWithItsProblemsPlacedInTheText() {
        List<Problem> schema = PipelineSpec.validateJson("""
                {"version": 1,
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"], "labelz": 1}}
                """, dir);
        assertEquals(1, schema.size(), schema.toString());
        assertEquals("$.task.labelz", schema.get(0).path());
        assertEquals(2, schema.get(0).line(), schema.toString());
        List<Problem> preflight = PipelineSpec.validateJson("""
                {"version": 1,
                 "source": {"format": "csv", "path": "missing.csv", "textColumn": "text"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]},
                 "model": {"name": "fake:keyword"}}
                """, dir);
        assertEquals(
                List.of("$.source.path"), preflight.stream().map(Problem::path).toList());
        assertTrue(
                preflight.get(0).message().contains(dir.resolve("missing.csv").toString()), preflight.toString());
    }

    @Test
    void aFieldGivenTwiceIsRefusedNotSilentlyTakenFromTheLastOne() {
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpec.fromJson("""
                {"version": 1,
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]},
                 "model": {"name": "local:bge-small-zh", "name": "glm-4-flash"}}
                """));
        assertEquals(3, e.problems().get(0).line(), e.getMessage());
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("duplicate"), e.getMessage());
    }

    @Test
    void aCharsetThisJavaCannotReadIsAProblemOfTheSpec() {
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpec.fromJson("""
                {"version": 1,
                 "source": {"format": "csv", "path": "in.csv", "textColumn": "text",
                            "charset": "no-such-charset-9"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]}}
                """));
        assertEquals("$.source.charset", e.problems().get(0).path(), e.getMessage());
        assertEquals(3, e.problems().get(0).line(), e.getMessage());
        assertEquals(
                "GBK",
                PipelineSpec.fromJson(MINIMAL.replace("\"textColumn\"", "\"charset\": \"GBK\", \"textColumn\""))
                        .source()
                        .charset());
    }

    @Test
    void anOptimiserTheSchemaDoesNotKnowIsRefusedInJavaTooSoThatNoSpecIsWrittenThatCannotBeRead() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new PipelineSpec.Optimize(List.of("label_wording"), null, null, null, null));
        assertTrue(e.getMessage().contains("label-wording"), e.getMessage());
        PipelineSpec.Optimize ok =
                new PipelineSpec.Optimize(List.of("label-wording", "demonstrations"), null, null, null, 7L);
        PipelineSpec spec = PipelineSpec.fromJson(MINIMAL, dir).withOptimize(ok);
        assertEquals(spec, PipelineSpec.fromJson(spec.toJson(), dir));
        List<String> inSchema = new ArrayList<>();
        JsonNode schema = readSchema();
        schema.path("$defs")
                .path("optimize")
                .path("properties")
                .path("optimizers")
                .path("items")
                .path("enum")
                .forEach(n -> inSchema.add(n.asText()));
        assertEquals(inSchema, PipelineSpec.Optimize.NAMES);
    }

    private JsonNode readSchema() {
        try {
            return new ObjectMapper()
                    .readTree(getClass().getResourceAsStream("/io/openautoglm/core/pipeline-spec.schema.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badJsonAndAWrongVersionSayWhere() {
        PipelineSpecException syntax = assertThrows(
                PipelineSpecException.class,
                () -> PipelineSpec.fromJson("{\"version\": 1,\n \"task\": {\"type\": TEXT}}"));
        assertEquals(2, syntax.problems().get(0).line());
        assertFalse(syntax.getMessage().contains("TEXT"), syntax.getMessage());
        PipelineSpecException version = assertThrows(
                PipelineSpecException.class,
                () -> PipelineSpec.fromJson("{\"version\": 2, \"task\": {\"type\": \"NAMED_ENTITY_RECOGNITION\","
                        + " \"entityTypes\": [\"PER\"]}}"));
        assertEquals("$.version", version.problems().get(0).path());
    }

    @Test
    void builderToSpecToJsonToPipelineGivesTheSamePredictions() {
        Dataset data = Dataset.of(
                "d",
                List.of(
                        TextRecord.of("这家店很好", "正面"),
                        TextRecord.of("太差了", "负面"),
                        TextRecord.of("好极了", "正面"),
                        TextRecord.of("一般般", "负面")));
        TaskPipeline.Builder builder = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("fake:keywords")
                .labels(Label.of("正面", "好评"), Label.of("负面"))
                .promptTemplate("判断情感:{text}")
                .batchSize(3)
                .concurrency(1)
                .option("threshold", "0.5")
                .normalizer(TextNormalizer.builder().lowercase(true).build())
                .examples(Dataset.of("ex", List.of(TextRecord.of("好", "正面"))));
        PipelineSpec spec = builder.toSpec();
        PipelineSpec read = PipelineSpec.fromJson(spec.toJson());
        assertEquals(spec.toJson(), read.toJson());
        try (TaskPipeline a = builder.build();
                TaskPipeline b = TaskPipeline.builder().spec(read).build()) {
            PipelineResult ra = a.run(data);
            PipelineResult rb = b.run(data);
            assertEquals(
                    ra.results().stream()
                            .map(r -> String.valueOf(r.prediction()))
                            .toList(),
                    rb.results().stream()
                            .map(r -> String.valueOf(r.prediction()))
                            .toList());
            assertEquals(
                    ra.summary()
                            .lines()
                            .filter(l -> !l.contains("/s"))
                            .map(l -> l.replaceAll("elapsed=\\S+", ""))
                            .toList(),
                    rb.summary()
                            .lines()
                            .filter(l -> !l.contains("/s"))
                            .map(l -> l.replaceAll("elapsed=\\S+", ""))
                            .toList());
        }
    }

    @Test
    void toSpecWritesOnlyTheRunSettingsGivenNotThisMachinesDefaults() {
        PipelineSpec spec = PipelineSpec.fromJson("""
                {"version": 1, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]},
                 "model": {"name": "fake:keywords"}, "run": {"batchSize": 8}}
                """, dir);
        PipelineSpec again = TaskPipeline.builder().spec(spec).toSpec();
        assertEquals(spec.run(), again.run(), "concurrency and error mode were not given: " + again.toJson());
        assertEquals(spec, again);
        PipelineSpec.RunSettings set = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .concurrency(3)
                .errorMode(ErrorMode.FAIL_FAST)
                .toSpec()
                .run();
        assertEquals(new PipelineSpec.RunSettings(null, 3, ErrorMode.FAIL_FAST, null), set);
    }

    @Test
    void toSpecRefusesWhatIsNotData() {
        TaskPipeline.Builder b = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .model(new KeywordProvider().open("fake:keywords", Map.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class, b::toSpec);
        assertTrue(e.getMessage().contains("open Model instance"), e.getMessage());
        TaskPipeline.Builder secret = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .model("fake:x")
                .modelOption("apiKey", "VALUE-NOT-SHOWN");
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, secret::toSpec);
        assertFalse(s.getMessage().contains("VALUE-NOT-SHOWN"));
    }

    @Test
    void runLimitStopsReadingAfterThatManyRecords() {
        Dataset data = Dataset.of("d", List.of(TextRecord.of("好"), TextRecord.of("坏"), TextRecord.of("好好")));
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("fake:k")
                .labels("正面", "负面")
                .limit(2)
                .build()) {
            assertEquals(2, p.run(data).results().size());
        }
    }

    @Test
    void examplesFromASourceAreWrittenAsThatSource() {
        String json = """
                {"version": 1, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"],
                 "examplesSource": {"format": "jsonl", "path": "ex.jsonl", "textColumn": "text", "labelColumn": "label"}}}
                """;
        PipelineSpec spec = PipelineSpec.fromJson(json, dir);
        assertTrue(spec.toJson().contains("\"examplesSource\""));
        assertFalse(spec.toJson().contains("\"examples\""));
        assertNull(spec.source());
    }

    @Test
    void examplesReadWithOneSpecKeepTheirFileWhenTheTaskMovesToASpecInAnotherFolder() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        PipelineSpec first = PipelineSpec.fromJson("""
                {"version": 1, "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"],
                 "examplesSource": {"format": "jsonl", "path": "ex.jsonl", "textColumn": "text", "labelColumn": "label"}}}
                """, a);
        PipelineSpec moved =
                PipelineSpec.builder().task(first.task()).baseDir(b).build();
        PipelineSpec read = PipelineSpec.fromJson(moved.toJson(), b);
        JsonNode source =
                new ObjectMapper().readTree(read.toJson()).path("task").path("examplesSource");
        assertEquals("../a/ex.jsonl", source.path("path").asText());
        Path out = Files.createDirectories(dir.resolve("c/d")).resolve("s.json");
        moved.write(out);
        assertEquals(
                "../../a/ex.jsonl",
                new ObjectMapper()
                        .readTree(Files.readString(out))
                        .path("task")
                        .path("examplesSource")
                        .path("path")
                        .asText());
    }

    /** Every field the Java side reads or writes is in the schema, and every schema field round-trips. */
    @Test
    void schemaAndJavaAgree() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode schema =
                json.readTree(getClass().getResourceAsStream("/io/openautoglm/core/pipeline-spec.schema.json"));
        // the published copy is the same document
        Path docs = Path.of("../docs/pipeline-spec.schema.json");
        if (Files.exists(docs)) {
            assertEquals(
                    json.readTree(Files.readString(docs, StandardCharsets.UTF_8)),
                    schema,
                    "docs/pipeline-spec.schema.json differs from the schema in autoglm-core's resources");
        }
        String full = """
                {"version": 1,
                 "source": {"format": "csv", "path": "a.csv", "textColumn": "t", "textBColumn": "t2", "labelColumn": "l",
                   "idColumn": "i", "entitiesColumn": "e", "metadataColumns": ["m"], "charset": "GBK", "delimiter": ";",
                   "header": false, "onBadRecord": "COLLECT"},
                 "normalizer": {"htmlEntities": false, "nfkc": true, "controlCharacters": true, "collapseWhitespace": false,
                   "trim": true, "lowercase": true, "halfWidthPunctuation": true},
                 "task": {"type": "SEMANTIC_MATCHING", "template": "{text} 和 {text_b}", "labels": ["1", {"name": "0", "description": "不同"}],
                   "examples": [{"id": "x", "text": "a", "textB": "b", "label": "1"}], "options": {"threshold": "0.5"}},
                 "model": {"name": "fake:m", "options": {"maxTokens": "128"}},
                 "run": {"batchSize": 4, "concurrency": 1, "errorMode": "FAIL_FAST", "limit": 9},
                 "optimize": {"optimizers": ["threshold", "demonstrations"],
                   "dev": {"format": "jsonl", "path": "dev.jsonl", "textColumn": "t", "textBColumn": "t2", "labelColumn": "l"},
                   "train": {"format": "jsonl", "path": "train.jsonl", "textColumn": "t", "textBColumn": "t2", "labelColumn": "l"},
                   "budget": {"maxCandidates": 5, "maxModelCalls": 6, "maxTokens": 7, "maxCost": 1.5, "maxWallTime": "PT10M"},
                   "seed": 3},
                 "sink": {"format": "csv", "path": "out.csv"}}
                """;
        PipelineSpec spec = PipelineSpec.fromJson(full, dir);
        JsonNode written = json.readTree(spec.toJson());
        assertEquals(json.readTree(full), written, "a spec using every field reads and writes back unchanged");
        Set<String> schemaPaths = new TreeSet<>();
        collect(schema, schema, "", schemaPaths, 0);
        Set<String> writtenPaths = new TreeSet<>();
        collectInstance(written, "", writtenPaths);
        // every schema field except the other source kinds' and the alternatives shown once is written
        Set<String> notInFull = Set.of(
                "source.url",
                "source.user",
                "source.password",
                "source.query",
                "task.fields",
                "task.entityTypes",
                "task.examplesSource",
                "task.examples.entities");
        for (String p : schemaPaths) {
            if (notInFull.stream().noneMatch(p::startsWith)
                    && !p.startsWith("optimize.dev")
                    && !p.startsWith("optimize.train")
                    && !p.startsWith("task.examplesSource")) {
                assertTrue(writtenPaths.contains(p), "schema field " + p + " is not read and written by Java");
            }
        }
        for (String p : writtenPaths) {
            assertTrue(schemaPaths.contains(p), "Java writes " + p + ", which the schema does not define");
        }
    }

    private static void collect(JsonNode root, JsonNode node, String prefix, Set<String> out, int depth) {
        if (depth > 6) {
            return;
        }
        JsonNode n = node;
        if (n.has("$ref")) {
            n = root.path("$defs").path(n.get("$ref").asText().substring("#/$defs/".length()));
        }
        if (n.has("items")) {
            collect(root, n.get("items"), prefix, out, depth + 1);
        }
        if (n.has("oneOf")) {
            for (JsonNode alt : n.get("oneOf")) {
                collect(root, alt, prefix, out, depth + 1);
            }
        }
        Iterator<String> names = n.path("properties").fieldNames();
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        for (String name : list) {
            String p = prefix.isEmpty() ? name : prefix + "." + name;
            out.add(p);
            collect(root, n.get("properties").get(name), p, out, depth + 1);
        }
    }

    private static void collectInstance(JsonNode node, String prefix, Set<String> out) {
        if (node.isArray()) {
            node.forEach(item -> collectInstance(item, prefix, out));
            return;
        }
        if (!node.isObject() || prefix.endsWith("options")) {
            return;
        }
        node.fieldNames().forEachRemaining(name -> {
            String p = prefix.isEmpty() ? name : prefix + "." + name;
            out.add(p);
            collectInstance(node.get(name), p, out);
        });
    }
}

package io.openautoglm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    Path dir;

    @Test
    void fivePlantedMistakesAreAllReportedWithPathAndLineColumnAndTheKeyNowhere() throws Exception {
        Path spec = Cli.write(dir.resolve("bad.json"), """
                {"version": 1,
                 "source": {"format": "csv", "path": "in.csv", "textColumn": "text", "textColum": "x"},
                 "task": {"type": "TEXT_CLASSIFICATION", "template": "{text}"},
                 "model": {"name": "glm-4-flash", "options": {"apiKey": "sk-9f8e7d6c5b4a.PLANTEDSECRET"}},
                 "run": {"batchSize": "sixteen", "errorMode": "IGNORE"}}
                """);
        Cli.Result r = Cli.run("validate", spec.toString());
        assertEquals(2, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.all());
        String f = spec.toString();
        assertLine(lines, f + ":2:", "$.source.textColum: unknown field 'textColum'");
        assertLine(lines, f + ":3:", "$.task: missing labels");
        assertLine(lines, f + ":4:", "$.model.options.apiKey: an inline secret is not allowed");
        assertLine(lines, f + ":5:", "$.run.batchSize: wrong type");
        assertLine(lines, f + ":5:", "$.run.errorMode: must be one of");
        for (String l : lines) {
            assertTrue(l.matches(java.util.regex.Pattern.quote(f) + ":\\d+:\\d+: \\$\\.\\S+: .+"), l);
        }
        assertEquals("autoglm: 5 problems in " + f + "\n", r.err());
        assertFalse(r.all().contains("PLANTEDSECRET"), r.all());
    }

    private static void assertLine(List<String> lines, String start, String words) {
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith(start) && l.contains(words)),
                "no line starting " + start + " saying '" + words + "' in " + lines);
    }

    @Test
    void aGoodSpecIsOk() {
        Cli.Result r = Cli.run(
                "validate", Cli.repo().resolve("examples/specs/quickstart.json").toString());
        assertEquals(0, r.code(), r.all());
        assertEquals("ok\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void whatTheSchemaCannotSeeIsCheckedCheaply() throws Exception {
        Path spec = Cli.write(dir.resolve("s.json"), """
                {"version": 1,
                 "source": {"format": "csv", "path": "not-there.csv", "textColumn": "text"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]},
                 "model": {"name": "glm-4-flash",
                           "options": {"apiKey": "${env:AUTOGLM_CLI_TEST_SURELY_UNSET}"}}}
                """);
        Cli.Result r = Cli.run("validate", spec.toString(), "--set", "model.name=gpt-9");
        assertEquals(2, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.all());
        String f = spec.toString();
        assertLine(lines, f + ":2:", "$.source.path: no such file: " + dir.resolve("not-there.csv"));
        assertLine(
                lines, f + ":4:", "$.model.name: no model provider serves this model name; providers found: local (");
        assertLine(
                lines,
                f + ":5:",
                "$.model.options.apiKey: the environment variable AUTOGLM_CLI_TEST_SURELY_UNSET " + "is not set");
    }

    @Test
    void aBadOverrideIsNamed() {
        Path spec = Cli.repo().resolve("examples/specs/quickstart.json");
        Cli.Result r = Cli.run("validate", spec.toString(), "--set", "run.batchSize=many", "--set", "task.labels=好");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.out().contains("$.run.batchSize: wrong type"), r.all());
        assertTrue(r.out().contains("$.task.labels"), r.all());
        Cli.Result ok = Cli.run("validate", spec.toString(), "--set", "model.name=glm-4-flash");
        assertEquals(0, ok.code(), ok.all());
    }

    @Test
    void aMissingOrBrokenFileIsAUsageError() throws Exception {
        Cli.Result missing = Cli.run("validate", dir.resolve("nope.json").toString());
        assertEquals(2, missing.code(), missing.all());
        assertTrue(missing.err().startsWith("autoglm: cannot read the spec"), missing.all());
        Path broken = Cli.write(dir.resolve("broken.json"), "{\"version\": 1,\n \"task\": {\"type\": TEXT}}");
        Cli.Result r = Cli.run("validate", broken.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.out().startsWith(broken + ":2:"), r.all());
        assertTrue(r.out().contains("not valid JSON"), r.all());
    }
}

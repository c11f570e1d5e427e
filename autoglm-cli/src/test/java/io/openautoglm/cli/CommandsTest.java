package io.openautoglm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommandsTest {
    @Test
    void modelsListsTheLocalAndGlmProvidersWithTheirArtifacts() {
        Cli.Result r = Cli.run("models");
        assertEquals(0, r.code(), r.all());
        assertTrue(
                r.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("local ")
                                && l.contains("io.openautoglm:autoglm-local")
                                && l.contains("local:bge-small-zh")),
                r.all());
        assertTrue(
                r.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("glm ")
                                && l.contains("io.openautoglm:autoglm-glm-client")
                                && l.contains("glm-4-flash")),
                r.all());
        assertTrue(r.out().contains("default model: local:bge-small-zh"), r.all());
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        Cli.Result r = Cli.run("completion");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("complete -F _complete_autoglm"), r.out());
        for (String command :
                new String[] {"run", "validate", "optimize", "models", "gnn", "train", "distill", "completion"}) {
            assertTrue(r.out().contains(command), command);
        }
        assertTrue(r.out().contains("--progress"), "options too");
    }

    @Test
    void everyCommandHasHelpAndTheVersion() {
        for (String command :
                new String[] {"run", "validate", "optimize", "models", "gnn", "train", "distill", "completion"}) {
            Cli.Result r = Cli.run(command, "--help");
            assertEquals(0, r.code(), command + ": " + r.all());
            assertTrue(r.out().contains("Usage: autoglm " + command), r.all());
        }
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Exit codes:"), help.out());
        Cli.Result version = Cli.run("--version");
        assertEquals(0, version.code(), version.all());
        assertTrue(version.out().matches("(?s)autoglm \\d+\\.\\d+\\.\\d+.*"), version.out());
    }

    @Test
    void aKeyTypedWhereTheCommandLineDoesNotExpectItIsNotRepeated() {
        String key = "sk-9f8e7d6c5b4a.PLANTEDKEY";
        String spec = Cli.repo().resolve("examples/specs/quickstart.json").toString();
        for (String[] args : new String[][] {
            {"run", spec, "--set", "model.options.apiKey=", key}, // a space after '='
            {"validate", spec, "--set", key}, // no path
            {"run", spec, "--apiKey=" + key}
        }) { // not an option of autoglm
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.code(), r.all());
            assertFalse(r.all().contains("PLANTEDKEY"), r.all());
        }
        Cli.Result unknown = Cli.run("run", spec, "--no-such-flag");
        assertEquals(2, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("--no-such-flag"), "an option's name is shown: " + unknown.all());
        Cli.Result apiKey = Cli.run("run", spec, "--apiKey=" + key);
        assertTrue(apiKey.err().contains("--apiKey"), apiKey.all());
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("autoglm: name a command"), r.all());
    }
}

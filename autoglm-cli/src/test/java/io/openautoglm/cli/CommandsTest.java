package io.openautoglm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommandsTest {
    @Test
    void modelsListsTheLocalAndGlmProvidersWithTheirArtifacts() {
        Cli.Result r = Cli.run("models");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("local ") && l.contains("io.openautoglm:autoglm-local")
                && l.contains("local:bge-small-zh")), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("glm ") && l.contains("io.openautoglm:autoglm-glm-client")
                && l.contains("glm-4-flash")), r.all());
        assertTrue(r.out().contains("default model: local:bge-small-zh"), r.all());
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        Cli.Result r = Cli.run("completion");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("complete -F _complete_autoglm"), r.out());
        for (String command : new String[] {"run", "validate", "optimize", "models", "gnn", "completion"}) {
            assertTrue(r.out().contains(command), command);
        }
        assertTrue(r.out().contains("--progress"), "options too");
    }

    @Test
    void everyCommandHasHelpAndTheVersion() {
        for (String command : new String[] {"run", "validate", "optimize", "models", "gnn", "completion"}) {
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
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("autoglm: name a command"), r.all());
    }
}

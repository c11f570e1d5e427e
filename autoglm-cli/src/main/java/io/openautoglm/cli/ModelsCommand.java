package io.openautoglm.cli;

import io.openautoglm.core.Models;
import io.openautoglm.core.spi.ModelProvider;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code autoglm models}: the model providers found, their example models, and the artifacts of missing ones. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        header = "Lists the model providers and example models.",
        description = "Lists the model providers on the classpath with example model names, and the artifact to add "
                + "for a known provider that is missing.")
final class ModelsCommand implements Callable<Integer> {
    /** The providers this project ships, by name, with the artifact that brings each. */
    static final Map<String, String> KNOWN = knownProviders();

    @Spec
    CommandSpec spec;

    private static Map<String, String> knownProviders() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("local", "io.openautoglm:autoglm-local");
        m.put("glm", "io.openautoglm:autoglm-glm-client");
        return m;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ModelProvider> providers = Models.providers();
        for (ModelProvider p : providers) {
            out.printf("%-8s %-36s e.g. %s%n", p.name(), p.artifact(), String.join(", ", p.exampleModels()));
        }
        for (Map.Entry<String, String> k : KNOWN.entrySet()) {
            if (providers.stream().noneMatch(p -> p.name().equals(k.getKey()))) {
                out.printf("%-8s missing: add %s to the classpath%n", k.getKey(), k.getValue());
            }
        }
        out.println("default model: " + Models.DEFAULT_MODEL);
        out.flush();
        return AutoGlmCli.OK;
    }
}

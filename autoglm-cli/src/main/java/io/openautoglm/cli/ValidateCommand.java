package io.openautoglm.cli;

import io.openautoglm.core.PipelineSpecException.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code autoglm validate SPEC}: every problem with its JSON path and line:column; nothing is run. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        header = "Checks a pipeline spec without running it.",
        description = {
            "Checks a pipeline spec without running it: the schema (unknown fields, wrong types, missing "
                    + "or out-of-set values), what a task needs, inline secrets; then that a provider serves the model, that "
                    + "the files the sources name exist and that the secret references resolve here.",
            "Prints every problem as FILE:LINE:COLUMN: $.PATH: MESSAGE and exits 2, or prints ok and exits 0."
        })
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The pipeline spec (JSON).")
    Path specFile;

    @Option(
            names = "--set",
            paramLabel = "PATH=VALUE",
            description = "Overrides a field of the spec by its JSON path before it is checked. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        List<Problem> problems = Specs.validate(specFile, overrides);
        PrintWriter out = spec.commandLine().getOut();
        if (problems.isEmpty()) {
            out.println("ok");
            out.flush();
            return AutoGlmCli.OK;
        }
        Problems.print(out, specFile.toString(), problems);
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println(
                "autoglm: " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + specFile);
        err.flush();
        return AutoGlmCli.USAGE;
    }
}

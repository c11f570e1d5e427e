package io.openautoglm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code autoglm completion}: the bash (and zsh) completion script, generated from the commands themselves. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = AutoGlmCli.Version.class,
        header = "Prints the bash completion script.",
        description = {
            "Prints the bash completion script for autoglm. Load it in the current shell with",
            "  source <(java -jar autoglm.jar completion)",
            "after defining autoglm as a command (an alias or a script on the PATH), or save it to a file under "
                    + "/etc/bash_completion.d/. zsh reads it too, after 'autoload -U +X bashcompinit && bashcompinit'."
        })
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("autoglm", spec.root().commandLine()));
        out.flush();
        return AutoGlmCli.OK;
    }
}

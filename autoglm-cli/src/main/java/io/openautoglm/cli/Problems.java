package io.openautoglm.cli;

import io.openautoglm.core.PipelineSpecException.Problem;
import java.io.PrintWriter;
import java.util.List;

/** Prints spec problems as compilers do: {@code file:line:column: $.path: message}. */
final class Problems {
    private Problems() {}

    static void print(PrintWriter out, String file, List<Problem> problems) {
        for (Problem p : problems) {
            out.println(format(file, p));
        }
    }

    static String format(String file, Problem p) {
        String where = p.line() > 0 ? file + ":" + p.line() + ":" + p.column() : file;
        return where + ": " + p.path() + ": " + p.message();
    }
}

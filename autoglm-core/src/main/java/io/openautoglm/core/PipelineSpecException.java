package io.openautoglm.core;

import java.util.List;

/**
 * A pipeline spec that cannot be used, with every problem found: its JSON path, the line and column where it is
 * written (0 when it has no place in a file, as for an override) and what is wrong. Messages never repeat a
 * value from the spec, so a secret written where it does not belong is not shown.
 */
public class PipelineSpecException extends AutoGlmException {
    private final String specName;
    private final List<Problem> problems;

    public PipelineSpecException(String specName, List<Problem> problems) {
        super(message(specName, problems));
        this.specName = specName;
        this.problems = List.copyOf(problems);
    }

    /** The file (or "spec" for JSON text) the problems are in. */
    public String specName() {
        return specName;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(String specName, List<Problem> problems) {
        StringBuilder sb = new StringBuilder(specName)
                .append(": ")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (Problem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }

    /**
     * One problem.
     *
     * @param path    a JSON path such as {@code $.task.labels[1]}
     * @param line    1-based line, or 0 when unknown
     * @param column  1-based column, or 0 when unknown
     * @param message what is wrong and how to put it right
     */
    public record Problem(String path, int line, int column, String message) {
        @Override
        public String toString() {
            return path + (line > 0 ? " (" + line + ":" + column + ")" : "") + ": " + message;
        }
    }
}

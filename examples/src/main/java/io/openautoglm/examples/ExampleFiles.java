package io.openautoglm.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the example data whether a program runs from the repository root or the examples folder. */
final class ExampleFiles {
    private ExampleFiles() {}

    /** The file at {@code relativeToRepo}, looked up from the working directory and its parent. */
    static Path find(String relativeToRepo) {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path base = cwd; base != null; base = base.getParent()) {
            Path candidate = base.resolve(relativeToRepo);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("cannot find " + relativeToRepo + " from " + cwd
                + "; run from the repository root or pass the file as the first argument");
    }
}

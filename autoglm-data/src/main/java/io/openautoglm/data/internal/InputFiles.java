package io.openautoglm.data.internal;

import io.openautoglm.core.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opening input files with messages that say which file, by absolute path. */
final class InputFiles {
    private InputFiles() {}

    static void checkReadable(Path path) {
        Path abs = path.toAbsolutePath();
        if (!Files.exists(path)) {
            throw new DataException(
                    abs.toString(),
                    0,
                    "file not found (working directory: " + Path.of("").toAbsolutePath() + ")");
        }
        if (Files.isDirectory(path)) {
            throw new DataException(abs.toString(), 0, "is a directory, expected a file");
        }
        if (!Files.isReadable(path)) {
            throw new DataException(abs.toString(), 0, "file is not readable");
        }
    }

    static InputStream open(Path path) {
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new DataException(path.toAbsolutePath().toString(), 0, "file not found", e);
        } catch (IOException e) {
            throw new DataException(path.toAbsolutePath().toString(), 0, "cannot open: " + e, e);
        }
    }

    static String fileName(Path path) {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }
}

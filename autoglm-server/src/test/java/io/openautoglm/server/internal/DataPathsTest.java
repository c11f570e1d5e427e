package io.openautoglm.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPathsTest {
    @TempDir
    Path dir;

    @Test
    void pathsInsideTheFolderResolveAndEscapesAreRefused() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data/sub"));
        Path inside = Files.writeString(data.resolve("in.csv"), "text\na\n");
        Path secret = Files.writeString(dir.resolve("secret.csv"), "text\nb\n");
        Path outsideDir = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(outsideDir.resolve("x.csv"), "text\nc\n");
        Files.createSymbolicLink(data.resolve("up"), outsideDir); // a link to a folder outside
        Files.createSymbolicLink(data.resolve("inner.csv"), inside); // a link that stays inside
        Files.createSymbolicLink(data.resolve("dangling.csv"), dir.resolve("gone.csv"));
        DataPaths paths = new DataPaths(dir.resolve("data"));

        assertEquals(inside.toRealPath(), paths.resolve("sub/in.csv"));
        assertEquals(inside.toRealPath(), paths.resolve("./sub/../sub/in.csv"));
        assertEquals(inside.toRealPath(), paths.resolve("sub/inner.csv"));
        for (String escape : new String[] {
            "../secret.csv", "sub/../../secret.csv", secret.toString(), "sub/up/x.csv", "sub/dangling.csv", ".", ""
        }) {
            ApiException e = assertThrows(ApiException.class, () -> paths.resolve(escape), escape);
            assertEquals(escape.isEmpty() ? ErrorCode.VALIDATION_FAILED : ErrorCode.PATH_FORBIDDEN, e.code(), escape);
        }
        assertEquals(
                ErrorCode.SOURCE_INVALID,
                assertThrows(ApiException.class, () -> paths.resolve("sub/no.csv"))
                        .code());
        assertEquals(
                ErrorCode.SOURCE_INVALID,
                assertThrows(ApiException.class, () -> paths.resolve("sub")).code());
    }
}

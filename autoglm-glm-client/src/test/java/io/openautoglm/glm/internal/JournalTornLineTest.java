package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTornLineTest {
    @TempDir
    Path dir;

    /** A crash that tears the last line inside a multi-byte character must leave a journal that still opens. */
    @Test
    void aLineTornInsideAChineseCharacterIsSkipped() throws Exception {
        Path file = dir.resolve("run.journal");
        try (Journal j = Journal.open(file)) {
            j.append("r1", "h1", new StoredAnswer("glm-4-flash", "正面", "stop", 1, 1, 0));
            j.append("r2", "h2", new StoredAnswer("glm-4-flash", "负面的评价", "stop", 1, 1, 0));
        }
        byte[] all = Files.readAllBytes(file);
        String text = new String(all, StandardCharsets.UTF_8);
        int cut = text.indexOf("负面");
        int byteCut = text.substring(0, cut).getBytes(StandardCharsets.UTF_8).length + 1; // 1 byte into 负
        Files.write(file, Arrays.copyOf(all, byteCut));
        try (Journal j = Journal.open(file)) {
            assertNotNull(j.get("r1", "h1"));
            assertEquals(1, j.skipped());
        }
    }
}

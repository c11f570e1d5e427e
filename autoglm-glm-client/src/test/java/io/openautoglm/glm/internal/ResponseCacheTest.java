package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseCacheTest {
    @TempDir
    Path dir;

    private static StoredAnswer answer() throws Exception {
        return StoredAnswer.fromJson(
                Json.read("{\"content\":\"yes\",\"finishReason\":\"stop\",\"promptTokens\":1,\"completionTokens\":1}"));
    }

    @Test
    void anAnswerWrittenIsReadBack() throws Exception {
        ResponseCache cache = new ResponseCache(dir);
        String hash = "cd" + "1".repeat(62);
        assertNull(cache.get(hash));
        cache.put(hash, answer());
        assertEquals("yes", cache.get(hash).content());
    }

    @Test
    void aWriteThatFailsLeavesNoTemporaryFile() throws Exception {
        ResponseCache cache = new ResponseCache(dir);
        String hash = "ab" + "0".repeat(62);
        // the entry's name is taken by a folder that is not empty, so the final move fails
        Files.createDirectories(dir.resolve("ab").resolve(hash + ".json").resolve("x"));
        cache.put(hash, answer());
        cache.put(hash, answer());
        try (Stream<Path> s = Files.list(dir.resolve("ab"))) {
            List<Path> tmps = s.filter(p -> p.toString().endsWith(".tmp")).toList();
            assertTrue(tmps.isEmpty(), "left behind: " + tmps);
        }
    }
}

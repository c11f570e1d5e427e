package io.openautoglm.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.spring.AutoGlmPipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class PipelineStoreTest {
    @TempDir
    Path dir;

    private ServerSettings settings(Path store) {
        return new Binder(new MapConfigurationPropertySource(Map.of(
                        "autoglm.server.jwt.hs256-secret",
                        "store-test-secret-0123456789-abcdefghij",
                        "autoglm.server.pipelines-dir",
                        store.toString())))
                .bindOrCreate("autoglm.server", ServerSettings.class);
    }

    /** Two instances on one folder, saving at once: every revision is kept, numbered once, and read back as sent. */
    @Test
    void twoWritersOnOneFolderLoseNoRevision() throws Exception {
        Path store = dir.resolve("store");
        try (AutoGlmPipelines none = AutoGlmPipelines.builder().warmUp(false).build()) {
            PipelineStore a = new PipelineStore(settings(store), none);
            PipelineStore b = new PipelineStore(settings(store), none);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Map<Integer, Future<Integer>> saved = new TreeMap<>();
            try {
                for (int i = 0; i < 40; i++) {
                    PipelineStore writer = i % 2 == 0 ? a : b;
                    String spec = "{\"n\": " + i + "}";
                    saved.put(i, pool.submit(() -> writer.save("shared", spec).revision()));
                }
                Map<Integer, Integer> specByRevision = new TreeMap<>();
                for (Map.Entry<Integer, Future<Integer>> e : saved.entrySet()) {
                    Integer before = specByRevision.put(e.getValue().get(), e.getKey());
                    assertEquals(null, before, "revision " + e.getValue().get() + " given twice");
                }
                assertEquals(40, a.revisions("shared").size());
                for (Map.Entry<Integer, Integer> e : specByRevision.entrySet()) {
                    assertEquals(
                            "{\"n\": " + e.getValue() + "}",
                            a.read("shared", e.getKey()).orElseThrow(),
                            "revision " + e.getKey() + " holds what was saved as it");
                }
                try (var left = Files.list(store.resolve("shared"))) {
                    assertEquals(40, left.count(), "no temporary file left");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aNameTheRegistryRefusesNeverBecomesAPath() throws Exception {
        Path store = dir.resolve("store");
        Files.writeString(dir.resolve("1.json"), "{}"); // what ".." would reach
        Files.createDirectories(dir.resolve("x"));
        Files.writeString(dir.resolve("x").resolve("1.json"), "{}"); // and "../x"
        try (AutoGlmPipelines none = AutoGlmPipelines.builder().warmUp(false).build()) {
            PipelineStore s = new PipelineStore(settings(store), none);
            assertThrows(IllegalArgumentException.class, () -> s.save("..", "{}"));
            assertTrue(s.revisions("..").isEmpty());
            assertTrue(s.read("..", 1).isEmpty());
            assertTrue(s.read("../x", 1).isEmpty());
            assertTrue(s.read("x", 0).isEmpty(), "no revision 0");
        }
    }
}

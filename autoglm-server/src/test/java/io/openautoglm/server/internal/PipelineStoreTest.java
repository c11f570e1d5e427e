package io.openautoglm.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.spring.AutoGlmPipelines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
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

    private ServerSettings settings() {
        return new Binder(new MapConfigurationPropertySource(Map.of(
                        "autoglm.server.jwt.hs256-secret",
                        "store-test-secret-0123456789-abcdefghij",
                        "autoglm.server.pipelines-dir",
                        dir.toString())))
                .bindOrCreate("autoglm.server", ServerSettings.class);
    }

    /** Two instances on one folder, saving at once: every version is kept, numbered once, and read back as sent. */
    @Test
    void twoWritersOnOneFolderLoseNoVersion() throws Exception {
        try (AutoGlmPipelines none = AutoGlmPipelines.builder().warmUp(false).build()) {
            PipelineStore a = new PipelineStore(settings(), none);
            PipelineStore b = new PipelineStore(settings(), none);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Integer>> saved = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    PipelineStore store = i % 2 == 0 ? a : b;
                    String spec = "{\"n\": " + i + "}";
                    saved.add(pool.submit((Callable<Integer>) () -> store.save("shared", spec)));
                }
                Set<Integer> numbers = new TreeSet<>();
                for (Future<Integer> f : saved) {
                    numbers.add(f.get());
                }
                assertEquals(40, numbers.size(), "a number given twice: " + numbers);
                assertEquals(40, a.versions("shared").size());
                Set<String> specs = new TreeSet<>();
                for (int v = 1; v <= 40; v++) {
                    specs.add(a.read("shared", v).orElseThrow());
                }
                assertEquals(40, specs.size(), "a version overwritten: " + specs);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aNameTheRegistryRefusesNeverBecomesAPath() {
        try (AutoGlmPipelines none = AutoGlmPipelines.builder().warmUp(false).build()) {
            PipelineStore store = new PipelineStore(settings(), none);
            assertThrows(IllegalArgumentException.class, () -> store.save("..", "{}"));
            assertTrue(store.versions("..").isEmpty());
            assertTrue(store.read("../x", 1).isEmpty());
        }
    }
}

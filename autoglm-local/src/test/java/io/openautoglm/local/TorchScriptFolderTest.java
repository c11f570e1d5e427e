package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder with a TorchScript {@code model.pt} runs on DJL's PyTorch engine. No TorchScript model ships in
 * a Maven artifact and the tests have no Python to trace one, so the test writes the smallest archive
 * libtorch loads: a module without weights whose token states are {@code [id · mask, mask, sin id, cos id]},
 * so that every number the engine returns can be computed here from the token ids.
 */
class TorchScriptFolderTest {
    private static final String TOKENIZER = "bge-small-zh-v1.5-q-tokenizer.json";

    @Test
    void clsPoolingTakesTheFirstTokensState(@TempDir Path dir) throws IOException {
        folder(dir);
        try (LocalEmbeddings model = LocalEmbeddings.open("local:" + dir)) {
            assertEquals(4, model.dimension());
            float[] v = model.embed(List.of("房间很干净"))[0];
            long cls = ids(dir, "房间很干净")[0];
            // the mask is the model's second input: fed anything else, the first two components would be 0
            assertArrayEquals(unit(state(cls, 1)), v, 1e-6f);
        }
    }

    @Test
    void meanPoolingAveragesEachTextsOwnTokensInAPaddedBatch(@TempDir Path dir) throws IOException {
        folder(dir);
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling").resolve("config.json"), "{\"pooling_mode_mean_tokens\": true}");
        List<String> texts = List.of("好", "前台服务态度很差，房间也不干净");
        try (LocalEmbeddings model = LocalEmbeddings.open("local:" + dir, java.util.Map.of("batchSize", "8"))) {
            float[][] v = model.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                long[] ids = ids(dir, texts.get(i));
                float[] mean = new float[4];
                for (long id : ids) {
                    float[] s = state(id, 1);
                    for (int h = 0; h < 4; h++) {
                        mean[h] += s[h] / ids.length;
                    }
                }
                assertArrayEquals(unit(mean), v[i], 1e-5f, texts.get(i));
            }
        }
    }

    @Test
    void sentenceVectorsAreTakenAsTheyAre(@TempDir Path dir) throws IOException {
        // (batch, hidden): the first token's id and the number of real tokens, no pooling by the engine
        folder(dir, "torch.cat([torch.select(ids, 1, 0), torch.sum(mask, 1)], -1)");
        try (LocalEmbeddings model = LocalEmbeddings.open("local:" + dir)) {
            assertEquals(2, model.dimension());
            long[] ids = ids(dir, "房间很干净");
            assertArrayEquals(unit(new float[] {ids[0], ids.length}), model.embed(List.of("房间很干净"))[0], 1e-6f);
        }
    }

    private static float[] state(long id, long mask) {
        return new float[] {id * mask, mask, (float) Math.sin(id), (float) Math.cos(id)};
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return u;
    }

    private static long[] ids(Path dir, String text) throws IOException {
        try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"))) {
            return t.encode(text).getIds();
        }
    }

    /** tokenizer.json from the shipped model, and a TorchScript archive written entry by entry. */
    private static void folder(Path dir) throws IOException {
        folder(dir, "torch.cat([torch.mul(ids, mask), mask, torch.sin(ids), torch.cos(ids)], -1)");
    }

    /** As above, the module returning {@code result}, an expression of {@code ids} and {@code mask} (B × T × 1). */
    private static void folder(Path dir, String result) throws IOException {
        try (InputStream in = TorchScriptFolderTest.class.getClassLoader().getResourceAsStream(TOKENIZER)) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        String code = String.join(
                "\n",
                "class Model(Module):",
                "  __parameters__ = []",
                "  __buffers__ = []",
                "  training : bool",
                "  def forward(self: __torch__.Model, input_ids: Tensor, attention_mask: Tensor) -> Tensor:",
                "    ids = torch.unsqueeze(torch.to(input_ids, 6), -1)",
                "    mask = torch.unsqueeze(torch.to(attention_mask, 6), -1)",
                "    return " + result,
                "");
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.pt"));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            // protocol-2 pickles: an object of class __torch__.Model with state {"training": False}, and ()
            entry(
                    zip,
                    "model/data.pkl",
                    "\u0080\u0002c__torch__\nModel\nq\u0000)\u0081q\u0001}q\u0002X\u0008\u0000\u0000\u0000trainingq\u0003\u0089sb.");
            entry(zip, "model/constants.pkl", "\u0080\u0002).");
            entry(zip, "model/code/__torch__.py", code);
            entry(zip, "model/version", "3\n");
        }
    }

    private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        // pickles are bytes: ISO-8859-1 maps each char below 256 to the byte of the same value
        zip.write(content.getBytes(name.endsWith(".py") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        zip.closeEntry();
    }
}

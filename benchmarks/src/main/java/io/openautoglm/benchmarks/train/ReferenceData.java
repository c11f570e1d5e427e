package io.openautoglm.benchmarks.train;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.openautoglm.benchmarks.local.LocalBenchData;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.TextRecord;
import io.openautoglm.local.internal.ModelLocator;
import io.openautoglm.train.internal.OnnxWeights;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes what {@code docs/scripts/bert_finetune_reference.py} fine-tunes in PyTorch: bge-small-zh's float32 weights
 * as autoglm-train imports them (PyTorch names, projection matrices {@code [in, out]}, little-endian float32 files
 * with a {@code weights.tsv} index of shapes), and ChnSentiCorp_htl and AFQMC tokenised as autoglm-train tokenises
 * them (the pipeline's default normaliser, the base model's tokenizer, at most 256 tokens), one {@code label TAB ids
 * TAB token types} line per record. Both sides then read exactly the same numbers.
 *
 * <pre>ReferenceData OUT_DIR</pre>
 */
public final class ReferenceData {
    private ReferenceData() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/reference");
        Files.createDirectories(out);
        ModelLocator.Located base =
                ModelLocator.locate("local:bge-small-zh-fp32", ReferenceData.class.getClassLoader());
        OnnxWeights weights = OnnxWeights.read(base.modelFile());
        StringBuilder index = new StringBuilder();
        for (String name : weights.names()) {
            if (!name.startsWith("embeddings.") && !name.startsWith("encoder.layer.")) {
                continue; // the encoder's parameters only, as BertEncoder takes them
            }
            OnnxWeights.Tensor t = weights.get(name);
            ByteBuffer bytes =
                    ByteBuffer.allocate(t.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(t.values());
            Files.write(out.resolve(name + ".f32"), bytes.array());
            index.append(name).append('\t').append(join(t.shape())).append('\n');
        }
        Files.writeString(out.resolve("weights.tsv"), index);
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(base.tokenizerFile())
                .optMaxLength(256)
                .optTruncation(true)
                .optPadding(false)
                .build()) {
            for (String split : new String[] {"train", "dev", "test"}) {
                write(LocalBenchData.chnSentiCorp(split), tokenizer, out.resolve("chnsenticorp-" + split + ".tsv"));
            }
            for (String split : new String[] {"train", "dev"}) {
                write(LocalBenchData.afqmc(split), tokenizer, out.resolve("afqmc-" + split + ".tsv"));
            }
        }
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static void write(Dataset data, HuggingFaceTokenizer tokenizer, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            for (TextRecord r : data.map(TextNormalizer.defaults()::normalize).toList()) {
                Encoding e = r.textB() == null ? tokenizer.encode(r.text()) : tokenizer.encode(r.text(), r.textB());
                w.println(r.label() + "\t" + join(e.getIds()) + "\t" + join(e.getTypeIds()));
            }
        }
    }

    private static String join(long[] values) {
        return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(" "));
    }
}

package io.openautoglm.local.internal;

import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Semantic matching with a fine-tuned cross-encoder: both texts read together as {@code [CLS] a [SEP] b [SEP]}, the
 * first token's state unit-normalised, and the folder's head giving the probability that the pair matches. A pair
 * matches when that probability reaches the task option {@code threshold}, by default the one the trainer chose on
 * dev and wrote with the head (0.5 for a folder without one); the score is the probability. Runs on the engine's
 * ONNX model alone. Thread-safe.
 */
public final class CrossEncoderPredictor implements Predictor {
    private static final Logger LOG = LoggerFactory.getLogger(CrossEncoderPredictor.class);

    private final EmbeddingEngine engine;
    private final TunedHead head;
    private final int match;
    private final double threshold;

    public CrossEncoderPredictor(EmbeddingEngine engine, Task task, TunedHead head) {
        OptionReader options = TaskOptions.of(task.spec());
        this.engine = engine;
        this.head = head;
        this.match = head.classes().indexOf("1");
        if (match < 0 || head.classes().size() != 2) {
            throw new IllegalArgumentException(engine.name() + " holds a matching head over " + head.classes()
                    + "; a cross-encoder's classes are [0, 1]");
        }
        double trained = Double.isNaN(head.threshold()) ? 0.5 : head.threshold();
        this.threshold = options.decimal("threshold", trained, 0, 1);
        LOG.info(
                "Matching with the fine-tuned cross-encoder of {} at probability {} ({})",
                engine.name(),
                threshold,
                options.has("threshold")
                        ? "the task option threshold"
                        : Double.isNaN(head.threshold())
                                ? "0.5: the folder gives none, as folders trained before thresholds were written"
                                : "chosen on dev by the trainer");
    }

    @Override
    public List<Outcome> predict(List<TextRecord> batch, UsageMeter usage) {
        float[][] vectors = engine.embedPairs(
                batch.stream().map(TextRecord::text).toList(),
                batch.stream().map(r -> r.textB() == null ? "" : r.textB()).toList(),
                usage);
        return IntStream.range(0, batch.size())
                .mapToObj(i -> {
                    double p = head.probabilities(vectors[i])[match];
                    return Outcome.success(new Prediction.Match(p >= threshold, p));
                })
                .toList();
    }
}

package io.openautoglm.local.internal;

import io.openautoglm.core.Entity;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named-entity recognition with a fine-tuned tagger: the encoder's state of every token, a linear map to BIO tag
 * scores, CRF (Viterbi) decoding, and each entity mapped back to the characters of the record's text. Runs on the
 * engine's ONNX model alone. Thread-safe.
 */
public final class NerPredictor implements Predictor {
    private static final Logger LOG = LoggerFactory.getLogger(NerPredictor.class);

    private final EmbeddingEngine engine;
    private final TunedHead head;
    private final BioTags tags;

    /**
     * @throws IllegalArgumentException when the task's entity types are not those the model was trained on
     */
    public NerPredictor(EmbeddingEngine engine, Task task, TunedHead head) {
        List<String> types = task.spec().entityTypes();
        if (!new HashSet<>(types).equals(new HashSet<>(head.classes()))) {
            throw new IllegalArgumentException("task.entityTypes " + types + " differ from the types "
                    + head.classes() + " that " + engine.name() + " was fine-tuned on; use those types, or train it "
                    + "again on these");
        }
        this.engine = engine;
        this.head = head;
        this.tags = BioTags.of(head.classes());
        LOG.info("NER with the fine-tuned tagger of {} on entity types {}", engine.name(), head.classes());
    }

    @Override
    public List<Outcome> predict(List<TextRecord> batch, UsageMeter usage) {
        List<EmbeddingEngine.TokenStates> states =
                engine.tokenStates(batch.stream().map(TextRecord::text).toList(), usage);
        List<Outcome> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            EmbeddingEngine.TokenStates s = states.get(i);
            int[] path = head.tags(s.states(), s.tokens().size(), s.hidden());
            List<Entity> entities = tags.decode(path, s.tokens(), batch.get(i).text());
            out.add(Outcome.success(new Prediction.Entities(entities)));
        }
        return out;
    }
}

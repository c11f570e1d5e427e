package io.openautoglm.server.internal;

import io.openautoglm.core.Entity;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's results as the predict endpoint answers them: one entry per record, in input order. */
final class Predictions {
    private Predictions() {}

    static Map<String, Object> of(PipelineResult result) {
        List<Map<String, Object>> results = new ArrayList<>(result.results().size());
        for (RecordResult r : result.results()) {
            results.add(one(r));
        }
        Usage u = result.usage();
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("calls", u.calls());
        usage.put("promptTokens", u.promptTokens());
        usage.put("completionTokens", u.completionTokens());
        usage.put("cost", u.cost());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("results", results);
        data.put("succeeded", result.succeeded());
        data.put("failed", result.failed());
        data.put("usage", usage);
        return data;
    }

    static Map<String, Object> one(RecordResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        if (r.failure() != null) {
            m.put(
                    "failure",
                    Map.of(
                            "kind",
                            r.failure().kind().name(),
                            "message",
                            r.failure().message()));
            return m;
        }
        Prediction p = r.prediction();
        if (p instanceof Prediction.Classification c) {
            m.put("label", c.label());
            m.put("score", c.score());
        } else if (p instanceof Prediction.Entities e) {
            List<Map<String, Object>> entities = new ArrayList<>();
            for (Entity x : e.entities()) {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("start", x.start());
                em.put("end", x.end());
                em.put("type", x.type());
                em.put("mention", x.mention());
                entities.add(em);
            }
            m.put("entities", entities);
            if (!e.unaligned().isEmpty()) {
                m.put("unaligned", e.unaligned());
            }
        } else if (p instanceof Prediction.Match x) {
            m.put("match", x.matched());
            m.put("score", x.score());
        }
        return m;
    }
}

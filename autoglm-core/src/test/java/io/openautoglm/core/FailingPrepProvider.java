package io.openautoglm.core;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.core.spi.Predictor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A provider whose models fail to prepare a predictor, counting how many it opened and how many were closed. */
public final class FailingPrepProvider implements ModelProvider {
    static final AtomicInteger opened = new AtomicInteger();
    static final AtomicInteger closed = new AtomicInteger();

    @Override
    public String name() {
        return "failprep";
    }

    @Override
    public String artifact() {
        return "test";
    }

    @Override
    public boolean supports(String m) {
        return m.startsWith("failprep:");
    }

    @Override
    public List<String> exampleModels() {
        return List.of("failprep:x");
    }

    @Override
    public Model open(String modelName, Map<String, String> options) {
        opened.incrementAndGet();
        return new Model() {
            @Override
            public String name() {
                return modelName;
            }

            @Override
            public Predictor predictor(Task task) {
                throw new IllegalStateException("calibration failed");
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }
}

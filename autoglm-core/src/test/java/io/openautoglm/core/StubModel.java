package io.openautoglm.core;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Predictor;

/** A model around one predictor, for the pipeline tests: the predictor decides every outcome. */
record StubModel(Predictor predictor) implements Model {
    @Override
    public String name() {
        return "stub";
    }

    @Override
    public Predictor predictor(Task task) {
        return predictor;
    }

    @Override
    public void close() {}
}

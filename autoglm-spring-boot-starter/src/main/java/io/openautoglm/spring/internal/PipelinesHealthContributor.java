package io.openautoglm.spring.internal;

import io.openautoglm.spring.AutoGlmPipelines;
import io.openautoglm.spring.ModelCircuit;
import io.openautoglm.spring.ServedPipeline;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * One health indicator per registered pipeline, read live from the registry (pipelines registered later appear), in
 * one of two views. {@link #models} says whether this instance can serve the pipeline: {@code OUT_OF_SERVICE} while
 * its model loads, {@code DOWN} when preparing or probing it failed, {@code UP} otherwise; that is what readiness
 * reads. {@link #circuits} says whether the model answers: {@code DOWN} while its circuit is open. The two are apart
 * because a circuit opens when a shared service fails, such as the GLM endpoint, and then opens on every instance at
 * once: were readiness to read it, every instance would leave the load balancer together, and the pipelines on other
 * models, which still answer, with them. Details: task, model, provider, state, circuit and any problem (models);
 * model, circuit and the wait left while open (circuits); never a secret.
 */
public final class PipelinesHealthContributor implements CompositeHealthContributor {
    private final AutoGlmPipelines pipelines;
    private final Function<ServedPipeline, Health> view;

    private PipelinesHealthContributor(AutoGlmPipelines pipelines, Function<ServedPipeline, Health> view) {
        this.pipelines = pipelines;
        this.view = view;
    }

    /** Whether each pipeline's model is loaded and ready on this instance. */
    public static PipelinesHealthContributor models(AutoGlmPipelines pipelines) {
        return new PipelinesHealthContributor(pipelines, PipelinesHealthContributor::model);
    }

    /** Whether each pipeline's model is answering: down while its circuit is open. */
    public static PipelinesHealthContributor circuits(AutoGlmPipelines pipelines) {
        return new PipelinesHealthContributor(pipelines, PipelinesHealthContributor::circuit);
    }

    @Override
    public HealthContributor getContributor(String name) {
        return pipelines.find(name).map(this::indicator).orElse(null);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        Map<String, HealthContributor> now = new LinkedHashMap<>();
        for (String name : pipelines.names()) {
            pipelines.find(name).ifPresent(p -> now.put(name, indicator(p)));
        }
        Iterator<Map.Entry<String, HealthContributor>> it = now.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public NamedContributor<HealthContributor> next() {
                Map.Entry<String, HealthContributor> e = it.next();
                return NamedContributor.of(e.getKey(), e.getValue());
            }
        };
    }

    private HealthIndicator indicator(ServedPipeline p) {
        return () -> view.apply(p);
    }

    private static Health model(ServedPipeline p) {
        Health.Builder b = switch (p.state()) {
            case LOADING -> Health.outOfService();
            case FAILED, CLOSED -> Health.down();
            case READY -> Health.up();
        };
        b.withDetail("task", p.taskType().name())
                .withDetail("model", p.modelName())
                .withDetail("provider", p.provider())
                .withDetail("state", p.state().name())
                .withDetail("circuit", p.circuit().state().name());
        p.problem().ifPresent(why -> b.withDetail("problem", why));
        return b.build();
    }

    private static Health circuit(ServedPipeline p) {
        ModelCircuit.State circuit = p.circuit().state();
        Health.Builder b = circuit == ModelCircuit.State.OPEN ? Health.down() : Health.up();
        b.withDetail("model", p.modelName()).withDetail("circuit", circuit.name());
        if (circuit == ModelCircuit.State.OPEN) {
            b.withDetail("retryAfterSeconds", p.circuit().retryAfter().toSeconds());
        }
        return b.build();
    }
}

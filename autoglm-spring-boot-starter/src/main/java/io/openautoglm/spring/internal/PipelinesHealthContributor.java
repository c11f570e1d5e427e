package io.openautoglm.spring.internal;

import io.openautoglm.spring.AutoGlmPipelines;
import io.openautoglm.spring.ModelCircuit;
import io.openautoglm.spring.ServedPipeline;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * One health indicator per registered pipeline's model, read live from the registry (pipelines registered later
 * appear): {@code OUT_OF_SERVICE} while the model loads, {@code DOWN} when preparing or probing it failed or its
 * circuit is open, {@code UP} otherwise. Details: task, model, provider, state, circuit; never a secret.
 */
public final class PipelinesHealthContributor implements CompositeHealthContributor {
    private final AutoGlmPipelines pipelines;

    public PipelinesHealthContributor(AutoGlmPipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return pipelines.find(name).map(PipelinesHealthContributor::indicator).orElse(null);
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

    private static HealthIndicator indicator(ServedPipeline p) {
        return () -> health(p);
    }

    static Health health(ServedPipeline p) {
        ModelCircuit.State circuit = p.circuit().state();
        Health.Builder b = switch (p.state()) {
            case LOADING -> Health.outOfService();
            case FAILED, CLOSED -> Health.down();
            case READY -> circuit == ModelCircuit.State.OPEN ? Health.down() : Health.up();
        };
        b.withDetail("task", p.taskType().name())
                .withDetail("model", p.modelName())
                .withDetail("provider", p.provider())
                .withDetail("state", p.state().name())
                .withDetail("circuit", circuit.name());
        Optional<String> problem = p.problem();
        problem.ifPresent(why -> b.withDetail("problem", why));
        if (circuit == ModelCircuit.State.OPEN) {
            b.withDetail("retryAfterSeconds", p.circuit().retryAfter().toSeconds());
        }
        return b.build();
    }
}

package io.openautoglm.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.openautoglm.spring.internal.PipelinesHealthContributor;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the {@link AutoGlmPipelines} bean from {@code autoglm.*} ({@link AutoGlmProperties}): each
 * {@code autoglm.pipelines.<name>} is registered, its model opened; the bean closes them on shutdown. Meters go to
 * the application's {@link MeterRegistry} (Micrometer's global one when there is none). With the actuator, the
 * {@code autoglm} health contributor says per pipeline whether its model is ready here (for readiness), and
 * {@code autoglmCircuits} whether it is answering (down while its circuit is open). Every bean backs off when the
 * application defines its own.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"
        })
@EnableConfigurationProperties(AutoGlmProperties.class)
public class AutoGlmAutoConfiguration {

    /** The registry, with every configured pipeline registered; a bad spec stops the application with its problems. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public AutoGlmPipelines autoGlmPipelines(
            AutoGlmProperties properties, ObjectProvider<MeterRegistry> meterRegistry) {
        AutoGlmPipelines pipelines = AutoGlmPipelines.builder()
                .meterRegistry(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry))
                .circuitBreaker(properties.circuitBreaker())
                .glmApiKey(properties.glm().apiKey())
                .warmUp(properties.warmUp())
                .build();
        try {
            for (Map.Entry<String, String> e : properties.pipelines().entrySet()) {
                pipelines.register(e.getKey(), e.getValue());
            }
        } catch (RuntimeException e) {
            pipelines.close();
            throw e;
        }
        return pipelines;
    }

    /**
     * The health contributors, one indicator per pipeline in each: {@code autoglm} (is its model loaded and ready
     * here; the one for a readiness group) and {@code autoglmCircuits} (is its model answering; down while the
     * model's circuit is open). {@code management.health.autoglm.enabled=false} turns both off.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CompositeHealthContributor.class)
    @ConditionalOnEnabledHealthIndicator("autoglm")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "autoglmHealthContributor")
        CompositeHealthContributor autoglmHealthContributor(AutoGlmPipelines pipelines) {
            return PipelinesHealthContributor.models(pipelines);
        }

        @Bean
        @ConditionalOnMissingBean(name = "autoglmCircuitsHealthContributor")
        CompositeHealthContributor autoglmCircuitsHealthContributor(AutoGlmPipelines pipelines) {
            return PipelinesHealthContributor.circuits(pipelines);
        }
    }
}

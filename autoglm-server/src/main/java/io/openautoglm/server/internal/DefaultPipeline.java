package io.openautoglm.server.internal;

import io.openautoglm.spring.AutoGlmPipelines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * With no {@code autoglm.pipelines.*} configured and none stored ({@link PipelineStore}), serves {@value #NAME}: the
 * quick start's sentiment classification (正面, 负面, 中性) on the embedded {@code local:bge-small-zh}, so that a
 * fresh build answers with no configuration.
 * {@code autoglm.server.default-pipeline=false} turns it off.
 */
@Component
public class DefaultPipeline implements InitializingBean {
    static final String NAME = "quickstart";
    static final String SPEC = "classpath:io/openautoglm/server/quickstart.json";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultPipeline.class);

    private final AutoGlmPipelines pipelines;
    private final ServerSettings settings;

    /** Takes the store so that the pipelines it keeps are registered first: with any of them, no default. */
    DefaultPipeline(AutoGlmPipelines pipelines, ServerSettings settings, PipelineStore stored) {
        this.pipelines = pipelines;
        this.settings = settings;
    }

    @Override
    public void afterPropertiesSet() {
        if (settings.defaultPipeline() && pipelines.names().isEmpty()) {
            pipelines.register(NAME, SPEC);
            LOG.info("no autoglm.pipelines configured nor stored: serving the default pipeline {}", NAME);
        }
    }
}

package io.openautoglm.glm.internal;

import io.openautoglm.core.Task;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.glm.GlmClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GLM model opened by the provider: one {@link GlmClient}, the run journal and the response cache when asked
 * for, and the threads that send one batch's records concurrently. Thread-safe; close it to release all of them.
 */
public final class GlmModel implements Model {
    private static final Logger LOG = LoggerFactory.getLogger(GlmModel.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String name;
    private final String apiModel;
    private final ProviderOptions options;
    private final GlmClient client;
    private final Journal journal;
    private final ResponseCache cache;
    private final ExecutorService fanOut;
    final PredictorStats stats = new PredictorStats();

    public GlmModel(String name, String apiModel, ProviderOptions options, Function<String, String> environment) {
        this.name = name;
        this.apiModel = apiModel;
        this.options = options;
        this.client = options.clientBuilder(environment).build();
        Journal j = null;
        try {
            j = options.path("journal") == null ? null : Journal.open(options.path("journal"));
            this.cache = options.path("cache") == null ? null : new ResponseCache(options.path("cache"));
        } catch (RuntimeException e) {
            if (j != null) {
                j.close();
            }
            client.close();
            throw e;
        }
        this.journal = j;
        this.fanOut = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "glm-record-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LOG.debug(
                "opened GLM model {} ({} in flight at most{}{})",
                apiModel,
                client.maxInFlightPerModel(),
                journal == null ? "" : ", journal " + journal.file(),
                cache == null ? "" : ", cache " + cache.dir());
    }

    @Override
    public String name() {
        return name;
    }

    /** The client, for callers that want the GLM API beyond the pipeline's tasks. */
    public GlmClient client() {
        return client;
    }

    @Override
    public Predictor predictor(Task task) {
        return new GlmPredictor(task, apiModel, client, options, journal, cache, fanOut, stats);
    }

    @Override
    public void close() {
        fanOut.shutdownNow();
        client.close();
        if (journal != null) {
            journal.close();
        }
        LOG.debug("closed GLM model {}: {}", apiModel, stats);
    }

    @Override
    public String toString() {
        return "GlmModel[" + name + ", " + client + "]";
    }
}

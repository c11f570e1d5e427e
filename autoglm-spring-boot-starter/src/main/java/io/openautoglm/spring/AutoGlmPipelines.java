package io.openautoglm.spring;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Models;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.spring.internal.InstrumentedModel;
import io.openautoglm.spring.internal.PipelineMeters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines an application serves, by name: each opened once from its {@link PipelineSpec}, its model wrapped
 * with metrics and the model's circuit breaker, and closed when replaced (after the runs it has begun) or when the
 * registry closes. The starter makes one from {@code autoglm.pipelines.*}; Java code may make its own.
 *
 * <pre>{@code
 * try (AutoGlmPipelines pipelines = AutoGlmPipelines.builder().meterRegistry(registry).build()) {
 *     pipelines.register("feedback", PipelineSpec.read(Path.of("specs/feedback.json")));
 *     PipelineResult r = pipelines.get("feedback").run(Dataset.of(List.of(TextRecord.of("物流很快"))));
 * }
 * }</pre>
 *
 * <p>Secrets: a spec names them by reference only ({@code ${env:…}}, {@code ${file:…}}), resolved here when the
 * model opens; a GLM pipeline whose spec names no {@code apiKey} gets {@link Builder#glmApiKey} when it is set. No
 * secret is logged or put into a message. Thread-safe.
 */
public final class AutoGlmPipelines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoGlmPipelines.class);
    /** Names that are safe in a URL path, a metric tag and a log line. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final MeterRegistry meters;
    private final AutoGlmProperties.CircuitBreaker breakerSettings;
    private final String glmApiKey;
    private final boolean warmUp;
    private final Path baseDir;
    private final ConcurrentMap<String, ServedPipeline> pipelines = new ConcurrentSkipListMap<>();
    private final ConcurrentMap<String, ModelCircuit> circuits = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> activeCalls = new ConcurrentHashMap<>();
    private final ExecutorService warmUps;
    private volatile boolean closed;

    private AutoGlmPipelines(Builder b) {
        this.meters = b.meterRegistry == null ? new SimpleMeterRegistry() : b.meterRegistry;
        this.breakerSettings = b.circuitBreaker;
        this.glmApiKey = b.glmApiKey == null || b.glmApiKey.isBlank() ? null : b.glmApiKey;
        this.warmUp = b.warmUp;
        this.baseDir = b.baseDir.toAbsolutePath().normalize();
        this.warmUps = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "autoglm-warm-up");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The pipeline of this name. */
    public Optional<ServedPipeline> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(pipelines.get(name));
    }

    /**
     * The pipeline of this name.
     *
     * @throws UnknownPipelineException when there is none; the message lists those there are
     */
    public ServedPipeline get(String name) {
        ServedPipeline p = name == null ? null : pipelines.get(name);
        if (p == null) {
            throw new UnknownPipelineException(name, names());
        }
        return p;
    }

    /** The names of the pipelines, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(pipelines.keySet());
    }

    /** The pipelines, sorted by name. */
    public List<ServedPipeline> all() {
        return new ArrayList<>(pipelines.values());
    }

    /**
     * Registers a pipeline from a spec as the properties give it: inline JSON (text starting with {@code {}, whose
     * relative paths resolve against the registry's base folder), {@code classpath:path}, or a file path (relative
     * paths in it resolve against its folder).
     *
     * @throws PipelineRegistrationException when the spec cannot be read or has problems, or the pipeline cannot
     *                                       be opened
     */
    public ServedPipeline register(String name, String specText) {
        requireName(name);
        PipelineSpec spec;
        String where = describe(specText);
        try {
            spec = parse(specText);
        } catch (PipelineSpecException e) {
            throw new PipelineRegistrationException(name, "pipeline " + name + ": " + where + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new PipelineRegistrationException(name, "pipeline " + name + ": " + e.getMessage(), e);
        }
        return register(name, spec);
    }

    /**
     * Registers a pipeline, replacing any of the same name; the one replaced finishes the runs it has begun and
     * then closes. The spec is checked before anything is replaced: a provider must serve its model and its secret
     * references must resolve. The model opens now; it is prepared (and a local one probed) in the background,
     * while {@link ServedPipeline#state()} says {@code LOADING}.
     *
     * @throws PipelineRegistrationException when the name is not allowed or the pipeline cannot be opened
     */
    public ServedPipeline register(String name, PipelineSpec spec) {
        requireName(name);
        Objects.requireNonNull(spec, "spec");
        if (closed) {
            throw new IllegalStateException("this registry is closed");
        }
        String modelName = spec.model().name();
        String provider = provider(name, modelName);
        Map<String, String> options;
        try {
            options = new LinkedHashMap<>(spec.resolvedModelOptions());
        } catch (AutoGlmException | IllegalArgumentException e) {
            throw new PipelineRegistrationException(name, "pipeline " + name + ": " + e.getMessage(), e);
        }
        if ("glm".equals(provider) && glmApiKey != null && !options.containsKey("apiKey")) {
            options.put("apiKey", glmApiKey);
        }
        Model model;
        try {
            model = Models.open(modelName, options);
        } catch (RuntimeException e) {
            throw new PipelineRegistrationException(
                    name, "pipeline " + name + ": cannot open model " + modelName + ": " + e.getMessage(), e);
        }
        ServedPipeline served;
        try {
            ModelCircuit circuit = circuit(modelName);
            AtomicInteger active = activeCalls.computeIfAbsent(name + "\u0000" + modelName, k -> new AtomicInteger());
            PipelineMeters pm =
                    new PipelineMeters(meters, name, spec.task().type().name(), modelName, provider, active);
            Model wrapped = new InstrumentedModel(model, circuit.breaker(), circuit::retryAfter, pm);
            TaskPipeline pipeline = TaskPipeline.builder()
                    .spec(spec)
                    .model(wrapped)
                    // served: a bad record is that record's failure, never the end of a caller's batch
                    .errorMode(io.openautoglm.core.ErrorMode.COLLECT)
                    .build();
            served = new ServedPipeline(name, spec, provider, pipeline, wrapped, circuit, pm);
        } catch (RuntimeException e) {
            model.close();
            throw new PipelineRegistrationException(name, "pipeline " + name + ": " + e.getMessage(), e);
        }
        ServedPipeline old;
        synchronized (this) {
            if (closed) {
                served.close();
                throw new IllegalStateException("this registry is closed");
            }
            old = pipelines.put(name, served);
        }
        if (old != null) {
            old.retire();
        }
        LOG.info(
                "pipeline {} {}: {} on {}",
                name,
                old == null ? "registered" : "replaced",
                spec.task().type(),
                modelName);
        if (warmUp) {
            try {
                warmUps.execute(served::warmUp);
            } catch (RejectedExecutionException e) {
                served.markReady();
            }
        } else {
            served.markReady();
        }
        return served;
    }

    /** Removes a pipeline; it closes once the runs it has begun are over. Returns whether there was one. */
    public boolean remove(String name) {
        ServedPipeline old = name == null ? null : pipelines.remove(name);
        if (old != null) {
            old.retire();
            LOG.info("pipeline {} removed", name);
        }
        return old != null;
    }

    /** The circuits of the models in use, by model name. */
    public Collection<ModelCircuit> circuits() {
        return List.copyOf(circuits.values());
    }

    /** Closes every pipeline and its model; runs still going end with their records cancelled. Idempotent. */
    @Override
    public void close() {
        List<ServedPipeline> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(pipelines.values());
            pipelines.clear();
        }
        warmUps.shutdownNow();
        for (ServedPipeline p : all) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("closing pipeline {} failed: {}", p.name(), e.toString());
            }
        }
    }

    // ---- helpers ----

    private PipelineSpec parse(String specText) {
        String text = specText == null ? "" : specText.strip();
        if (text.isEmpty()) {
            throw new UncheckedIOException(new IOException("the spec is empty: give a file path, classpath:… or JSON"));
        }
        if (text.startsWith("{")) {
            return PipelineSpec.fromJson(text, baseDir);
        }
        if (text.startsWith("classpath:")) {
            String resource = text.substring("classpath:".length()).replaceFirst("^/", "");
            ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader()
                    : AutoGlmPipelines.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no such resource on the class path: " + resource);
                }
                return PipelineSpec.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), baseDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spec " + text + ": " + e.getMessage(), e);
            }
        }
        Path file = baseDir.resolve(text).normalize();
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("cannot read the spec " + file + ": no such file"));
        }
        return PipelineSpec.read(file);
    }

    private static String describe(String specText) {
        String text = specText == null ? "" : specText.strip();
        return text.startsWith("{") ? "inline spec" : text;
    }

    /**
     * Whether a pipeline may have this name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or
     * digit, so that a name is one segment of a URL or a file path, never a separator or {@code ..} (two names that
     * differ in case only are one folder on a file system that ignores case: a store of pipelines must see to that).
     */
    public static boolean allowsName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * Checks a name as {@link #register} does, before anything is done with it.
     *
     * @throws PipelineRegistrationException naming the rule, when {@link #allowsName} refuses the name
     */
    public static void requireName(String name) {
        if (!allowsName(name)) {
            throw new PipelineRegistrationException(
                    name,
                    "pipeline name " + (name == null ? "null" : "'" + name + "'") + ": use 1 to 64 letters, digits, "
                            + "'.', '_' or '-', starting with a letter or digit",
                    null);
        }
    }

    private static String provider(String pipeline, String modelName) {
        List<ModelProvider> serving =
                Models.providers().stream().filter(p -> p.supports(modelName)).toList();
        if (serving.size() == 1) {
            return serving.get(0).name();
        }
        try {
            Models.open(modelName, Map.of()).close(); // not reached with 0 or 2+ providers: it throws the message
        } catch (RuntimeException e) {
            throw new PipelineRegistrationException(pipeline, "pipeline " + pipeline + ": " + e.getMessage(), e);
        }
        throw new PipelineRegistrationException(
                pipeline, "pipeline " + pipeline + ": no provider for " + modelName, null);
    }

    private ModelCircuit circuit(String modelName) {
        return circuits.computeIfAbsent(modelName, m -> {
            CircuitBreaker breaker = null;
            if (breakerSettings.enabled()) {
                breaker = CircuitBreaker.of(
                        m,
                        CircuitBreakerConfig.custom()
                                .failureRateThreshold(breakerSettings.failureRateThreshold())
                                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                                .slidingWindowSize(breakerSettings.slidingWindowSize())
                                .minimumNumberOfCalls(breakerSettings.minimumNumberOfCalls())
                                .waitDurationInOpenState(breakerSettings.waitDurationInOpenState())
                                // half-open by itself once the wait is over, so that autoglmCircuits and the
                                // circuit-state gauge say so even while no request arrives to try it
                                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                                .permittedNumberOfCallsInHalfOpenState(breakerSettings.permittedCallsInHalfOpenState())
                                .build());
                breaker.getEventPublisher()
                        .onStateTransition(e -> LOG.warn("model {}: circuit {}", m, e.getStateTransition()));
            }
            ModelCircuit circuit =
                    new ModelCircuit(m, breaker, breakerSettings.waitDurationInOpenState(), System::nanoTime);
            for (ModelCircuit.State s : ModelCircuit.State.values()) {
                Gauge.builder(AutoGlmMetrics.CIRCUIT_STATE, circuit, c -> c.state() == s ? 1 : 0)
                        .description("1 for the circuit's current state, 0 for the others")
                        .tags(AutoGlmMetrics.TAG_MODEL, m, "state", s.tag())
                        .register(meters);
            }
            return circuit;
        });
    }

    /** Builds an {@link AutoGlmPipelines}. */
    public static final class Builder {
        private MeterRegistry meterRegistry;
        private AutoGlmProperties.CircuitBreaker circuitBreaker = AutoGlmProperties.CircuitBreaker.DEFAULTS;
        private String glmApiKey;
        private boolean warmUp = true;
        private Path baseDir = Path.of("");

        private Builder() {}

        /** Where the meters go; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry value) {
            this.meterRegistry = value;
            return this;
        }

        /** The breaker every model gets; default {@link AutoGlmProperties.CircuitBreaker#DEFAULTS}. */
        public Builder circuitBreaker(AutoGlmProperties.CircuitBreaker value) {
            this.circuitBreaker = Objects.requireNonNull(value, "circuitBreaker");
            return this;
        }

        /** The API key for GLM pipelines whose spec names none; never logged. */
        public Builder glmApiKey(String value) {
            this.glmApiKey = value;
            return this;
        }

        /** Whether models are prepared at registration, in the background; default true. */
        public Builder warmUp(boolean value) {
            this.warmUp = value;
            return this;
        }

        /** The folder that inline specs' relative paths and relative spec paths resolve against; default the working
         * directory. */
        public Builder baseDir(Path value) {
            this.baseDir = Objects.requireNonNull(value, "baseDir");
            return this;
        }

        public AutoGlmPipelines build() {
            return new AutoGlmPipelines(this);
        }
    }
}

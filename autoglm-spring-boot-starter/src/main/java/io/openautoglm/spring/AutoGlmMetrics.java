package io.openautoglm.spring;

/**
 * The Micrometer names the starter records, stable across releases; {@code docs/server.md} has them as one table with
 * their Prometheus forms. Tags are few and bounded: the pipeline, its task type, the model, an outcome, a failure
 * kind; never a record, a text or a user.
 *
 * <p>A <em>model call</em> is one batch that the pipeline hands to the model (up to the spec's {@code run.batchSize}
 * records; a GLM model sends one request per record of it). Failed calls are counted as well as successful ones.
 */
public final class AutoGlmMetrics {
    private AutoGlmMetrics() {}

    /** Timer of model calls, as OpenTelemetry's GenAI conventions name it; with percentiles and a histogram. */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Distribution of tokens per model call, {@code gen_ai.token.type} input (prompt) or output (completion). */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Counter of tokens, {@code type} prompt or completion. */
    public static final String TOKENS = "autoglm.tokens";
    /** Counter of cost, in the model's price table currency (0 for local models). */
    public static final String COST = "autoglm.model.cost";
    /** Gauge of model calls in flight. */
    public static final String CALLS_ACTIVE = "autoglm.model.calls.active";
    /** Counter of model calls not sent because the model's circuit was open. */
    public static final String CALLS_REJECTED = "autoglm.model.calls.rejected";
    /** Gauge, 1 for the circuit's current state and 0 for the others, per {@code model} and {@code state}. */
    public static final String CIRCUIT_STATE = "autoglm.model.circuit.state";
    /** Counter of records run, {@code outcome} success or failure. */
    public static final String RECORDS_PROCESSED = "autoglm.records.processed";
    /** Counter of failed records by {@code kind} (a {@link io.openautoglm.core.Failure.Kind}). */
    public static final String RECORDS_FAILED = "autoglm.records.failed";

    /** Tag: the pipeline's name. */
    public static final String TAG_PIPELINE = "pipeline";
    /** Tag: the task type, e.g. {@code TEXT_CLASSIFICATION}. */
    public static final String TAG_TASK = "task";
    /** Tag: the model name, e.g. {@code local:bge-small-zh}. */
    public static final String TAG_MODEL = "model";
    /** Tag: {@code success}, {@code failure} (records) or {@code error} (calls). */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag: OpenTelemetry's model name. */
    public static final String TAG_GEN_AI_MODEL = "gen_ai.request.model";
    /** Tag: OpenTelemetry's provider name ({@code glm}, {@code local}). */
    public static final String TAG_GEN_AI_PROVIDER = "gen_ai.provider.name";
    /** Tag: OpenTelemetry's operation ({@code chat}, {@code embeddings}, {@code inference}). */
    public static final String TAG_GEN_AI_OPERATION = "gen_ai.operation.name";
    /** Tag: OpenTelemetry's token type, {@code input} or {@code output}. */
    public static final String TAG_GEN_AI_TOKEN_TYPE = "gen_ai.token.type";
    /** Tag: why a call failed ({@code none} when it did not): a failure kind or an exception's class. */
    public static final String TAG_ERROR_TYPE = "error.type";
}

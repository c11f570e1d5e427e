package io.openautoglm.glm.internal;

import io.openautoglm.core.Failure;
import io.openautoglm.core.OutputParseException;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.glm.AuthenticationException;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.ContentFilterException;
import io.openautoglm.glm.FinishReason;
import io.openautoglm.glm.GlmClient;
import io.openautoglm.glm.GlmException;
import io.openautoglm.glm.GlmNetworkException;
import io.openautoglm.glm.InsufficientBalanceException;
import io.openautoglm.glm.PermissionException;
import io.openautoglm.glm.PromptTooLongException;
import io.openautoglm.glm.QuotaExceededException;
import io.openautoglm.glm.RateLimitException;
import io.openautoglm.glm.SpendLimitExceededException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Runs one task on GLM. Each record becomes one chat call; the records of a batch are sent concurrently (the
 * client's per-model limiter bounds what is really in flight), so a pipeline gets {@code concurrency × batchSize}
 * records moving with any batch size. Every record ends as a prediction or a failure with its kind and reason: an
 * answer that cannot be parsed is an {@code UNPARSEABLE_ANSWER} failure that keeps the raw text, never a guess; an
 * API error is a failure naming the GLM code, its kind read from the exception type ({@link #kindOf}); past the
 * budget a record fails with {@code SPEND_LIMIT} "budget exhausted" without being sent.
 *
 * <p>Before calling, the journal (this run's finished records) and then the cache (answers to identical requests)
 * are consulted; every paid answer is journaled before the record is reported. Thread-safe.
 */
final class GlmPredictor implements Predictor {
    static final String BUDGET_EXHAUSTED = "budget exhausted";

    private final Task task;
    private final String model;
    private final GlmClient client;
    private final Journal journal;
    private final ResponseCache cache;
    private final ExecutorService fanOut;
    private final PredictorStats stats;
    private final boolean stream;
    private final Double temperature;
    private final Integer maxTokens;
    private final String system;

    GlmPredictor(
            Task task,
            String model,
            GlmClient client,
            ProviderOptions options,
            Journal journal,
            ResponseCache cache,
            ExecutorService fanOut,
            PredictorStats stats) {
        this.task = task;
        this.model = model;
        this.client = client;
        this.journal = journal;
        this.cache = cache;
        this.fanOut = fanOut;
        this.stats = stats;
        this.stream = options.stream();
        this.temperature = options.number("temperature", 0, 1);
        this.maxTokens = options.integer("maxTokens", 1);
        this.system = options.get("system");
    }

    @Override
    public List<Outcome> predict(List<TextRecord> batch, UsageMeter usage) {
        if (batch.size() == 1) {
            return List.of(one(batch.get(0), usage));
        }
        List<CompletableFuture<Outcome>> futures = new ArrayList<>(batch.size());
        for (TextRecord r : batch) {
            futures.add(CompletableFuture.supplyAsync(() -> one(r, usage), fanOut));
        }
        List<Outcome> out = new ArrayList<>(batch.size());
        for (CompletableFuture<Outcome> f : futures) {
            try {
                out.add(f.join());
            } catch (RuntimeException e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                out.add(Outcome.failure(Failure.Kind.MODEL_ERROR, "GLM call failed: " + c.getMessage()));
            }
        }
        return out;
    }

    ChatRequest request(TextRecord record) {
        ChatRequest.Builder b = ChatRequest.builder(model);
        if (system != null) {
            b.system(system);
        }
        b.user(task.renderPrompt(record));
        if (temperature != null) {
            b.temperature(temperature).doSample(true);
        } else {
            // Greedy decoding: the same record gets the same answer, which is what makes the cache sound.
            b.doSample(false);
        }
        if (maxTokens != null) {
            b.maxTokens(maxTokens);
        }
        if (task.type() == TaskType.NAMED_ENTITY_RECOGNITION) {
            b.jsonObject(true);
        }
        return b.build();
    }

    private Outcome one(TextRecord record, UsageMeter usage) {
        ChatRequest request;
        try {
            request = request(record);
        } catch (RuntimeException e) {
            stats.failures.increment();
            return Outcome.failure(Failure.Kind.INVALID_INPUT, "cannot build the GLM request: " + e.getMessage());
        }
        String hash = Json.requestHash(request);
        String id = record.id() == null ? "" : record.id();
        StoredAnswer answer = journal == null ? null : journal.get(id, hash);
        if (answer != null) {
            stats.journalHits.increment();
        } else if (cache != null && (answer = cache.get(hash)) != null) {
            stats.cacheHits.increment();
            if (journal != null) {
                journal.append(id, hash, answer);
            }
        }
        if (answer == null) {
            ChatResponse response;
            try {
                response = call(request, usage);
            } catch (SpendLimitExceededException e) {
                stats.failures.increment();
                return Outcome.failure(Failure.Kind.SPEND_LIMIT, BUDGET_EXHAUSTED);
            } catch (GlmException e) {
                stats.failures.increment();
                return Outcome.failure(kindOf(e), e.getMessage());
            }
            stats.apiCalls.increment();
            usage.record(response.usage().promptTokens(), response.usage().completionTokens(), response.cost());
            answer = StoredAnswer.of(response);
            if (response.finishReason() != FinishReason.NETWORK_ERROR) {
                if (journal != null) {
                    journal.append(id, hash, answer);
                }
                if (cache != null) {
                    cache.put(hash, answer);
                }
            }
        }
        Outcome o = outcome(answer, record);
        if (!o.succeeded()) {
            stats.failures.increment();
        }
        return o;
    }

    /**
     * One record's call. The client repeats what fails; since the deltas of this call go nowhere, it is also asked to
     * repeat, within the same retry policy, an answer ending in {@code network_error} and a stream cut after content
     * had arrived. A {@code network_error} answer was paid for, so it is counted before it is asked again.
     */
    private ChatResponse call(ChatRequest request, UsageMeter usage) {
        return ClientAccess.chatRepeatingUnfinished(client, request, stream, unfinished -> {
            stats.apiCalls.increment();
            usage.record(unfinished.usage().promptTokens(), unfinished.usage().completionTokens(), unfinished.cost());
        });
    }

    private Outcome outcome(StoredAnswer a, TextRecord record) {
        FinishReason finish = FinishReason.of(a.finishReason());
        if (finish == FinishReason.SENSITIVE) {
            return Outcome.failure(
                    Failure.Kind.MODEL_REFUSED,
                    "GLM content filter stopped the answer (finish_reason sensitive)",
                    a.content());
        }
        if (finish == FinishReason.NETWORK_ERROR) {
            return Outcome.failure(
                    Failure.Kind.MODEL_ERROR,
                    "GLM inference failed part-way (finish_reason network_error), also on retry",
                    a.content());
        }
        if (finish == FinishReason.MODEL_CONTEXT_WINDOW_EXCEEDED) {
            return Outcome.failure(
                    Failure.Kind.INVALID_INPUT,
                    "the prompt does not fit the model's context window "
                            + "(finish_reason model_context_window_exceeded)",
                    a.content());
        }
        try {
            Prediction p = task.parse(a.content(), record);
            return Outcome.success(p, a.content());
        } catch (OutputParseException e) {
            String cut = finish == FinishReason.LENGTH ? " (the answer was cut at max_tokens)" : "";
            return Outcome.failure(Failure.Kind.UNPARSEABLE_ANSWER, e.getMessage() + cut, e.rawOutput());
        }
    }

    /**
     * The kind of a failed GLM call, from its exception type: a rate limit or overload that outlasted the retries
     * is {@code RATE_LIMITED}; the content filter {@code MODEL_REFUSED}; refused credentials or permissions
     * {@code AUTHENTICATION}; no balance or a plan quota reached {@code QUOTA_EXCEEDED}; the client's spend limit
     * {@code SPEND_LIMIT}; a prompt longer than the model takes {@code INVALID_INPUT}; an interrupted call (the
     * pipeline closing) {@code CANCELLED}; a connect, read, call or stream-idle timeout {@code TIMEOUT}; anything
     * else (5xx, a reset or cut connection, a request the API rejects) {@code MODEL_ERROR}.
     */
    static Failure.Kind kindOf(GlmException e) {
        if (e instanceof SpendLimitExceededException) {
            return Failure.Kind.SPEND_LIMIT;
        } else if (e instanceof RateLimitException) {
            return Failure.Kind.RATE_LIMITED;
        } else if (e instanceof ContentFilterException) {
            return Failure.Kind.MODEL_REFUSED;
        } else if (e instanceof AuthenticationException || e instanceof PermissionException) {
            return Failure.Kind.AUTHENTICATION;
        } else if (e instanceof InsufficientBalanceException || e instanceof QuotaExceededException) {
            return Failure.Kind.QUOTA_EXCEEDED;
        } else if (e instanceof PromptTooLongException) {
            return Failure.Kind.INVALID_INPUT;
        }
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof InterruptedException) {
                return Failure.Kind.CANCELLED;
            }
            if (c instanceof InterruptedIOException) {
                // the client makes a timed-out call a network failure, and an interrupted one a non-retriable one
                return e instanceof GlmNetworkException ? Failure.Kind.TIMEOUT : Failure.Kind.CANCELLED;
            }
        }
        return Failure.Kind.MODEL_ERROR;
    }
}

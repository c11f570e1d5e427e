package io.openautoglm.glm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.glm.ChatDelta;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.Endpoint;
import io.openautoglm.glm.FinishReason;
import io.openautoglm.glm.GlmException;
import io.openautoglm.glm.GlmNetworkException;
import io.openautoglm.glm.TokenUsage;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import okhttp3.MediaType;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a streamed chat answer ({@link SseReader}): each chunk goes to the consumer as it arrives, and the answer is
 * assembled from them up to {@code data: [DONE]}, with the usage the last chunk carried, then accounted. An error
 * event is mapped like an HTTP error. A stream that breaks — cut before {@code [DONE]} and before a
 * {@code finish_reason}, a chunk that is not JSON, silent past the idle watchdog — ends in a
 * {@link GlmNetworkException} carrying the content handed over so far, or {@code null} when none was. A server that
 * ignored {@code stream: true} and sent one JSON answer is read as one delta. Thread-safe.
 */
public final class StreamedChat {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedChat.class);

    private final JsonAnswers answers;
    private final UsageCounter usage;
    private final Secrets secrets;
    private final Clock clock;
    private final Duration idleTimeout;

    public StreamedChat(JsonAnswers answers, UsageCounter usage, Secrets secrets, Clock clock, Duration idleTimeout) {
        this.answers = answers;
        this.usage = usage;
        this.secrets = secrets;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    public ChatResponse read(
            ChatRequest request, Response response, Endpoint ep, Consumer<ChatDelta> onDelta, AtomicBoolean delivered)
            throws IOException {
        MediaType type = response.body() == null ? null : response.body().contentType();
        if (type != null && !"event-stream".equals(type.subtype())) {
            ChatResponse whole = answers.chat(request, response, ep);
            delivered.set(true);
            onDelta.accept(new ChatDelta(
                    "assistant",
                    whole.content(),
                    whole.reasoningContent(),
                    whole.finishReason(),
                    whole.finishReasonRaw(),
                    whole.usage()));
            return whole;
        }
        SseReader events = new SseReader(response.body().source());
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = null;
        String id = null;
        String model = null;
        long created = 0;
        String finishRaw = null;
        TokenUsage used = null;
        Json.ToolCallAssembler toolCalls = new Json.ToolCallAssembler();
        int chunks = 0;
        boolean done = false;
        try {
            for (String event = events.next(); event != null; event = events.next()) {
                if (event.equals("[DONE]")) {
                    done = true;
                    break;
                }
                JsonNode node;
                try {
                    node = Json.read(event);
                } catch (IOException bad) {
                    throw new GlmNetworkException(
                            secrets.redact("GLM stream from " + ep.name() + " sent a chunk that " + "is not JSON: "
                                    + JsonAnswers.abbreviate(event)),
                            bad,
                            partial(content, delivered));
                }
                if (node.has("error")) {
                    throw ErrorMapper.map(
                            response.code(), event, null, "stream from endpoint " + ep.name(), secrets, clock);
                }
                ChatDelta delta = Json.parseChunk(node);
                toolCalls.add(node);
                chunks++;
                id = id == null ? Json.MAPPER.convertValue(node.get("id"), String.class) : id;
                model = model == null && node.hasNonNull("model")
                        ? node.get("model").asText()
                        : model;
                created = created == 0 ? node.path("created").asLong(0) : created;
                if (delta.content() != null) {
                    content.append(delta.content());
                }
                if (delta.reasoningContent() != null) {
                    reasoning = reasoning == null ? new StringBuilder() : reasoning;
                    reasoning.append(delta.reasoningContent());
                }
                if (delta.finishReason() != null) {
                    finishRaw = delta.finishReasonRaw();
                }
                if (delta.usage() != null) {
                    used = delta.usage();
                }
                if ((delta.content() != null && !delta.content().isEmpty())
                        || (delta.reasoningContent() != null
                                && !delta.reasoningContent().isEmpty())) {
                    delivered.set(true);
                }
                onDelta.accept(delta);
            }
        } catch (SocketTimeoutException idle) {
            throw new GlmNetworkException(
                    secrets.redact("GLM stream from " + ep.name() + " sent nothing for " + idleTimeout.toMillis()
                            + " ms after " + chunks + " chunks: stopped by the idle watchdog"),
                    idle,
                    partial(content, delivered));
        } catch (GlmException e) {
            throw e;
        } catch (IOException cut) {
            throw new GlmNetworkException(
                    secrets.redact("GLM stream from " + ep.name() + " broke after " + chunks + " chunks: " + cut),
                    cut,
                    partial(content, delivered));
        }
        if (!done && finishRaw == null) {
            throw new GlmNetworkException(
                    secrets.redact("GLM stream from " + ep.name() + " ended before [DONE] after " + chunks
                            + " chunks, without a finish_reason"),
                    null,
                    partial(content, delivered));
        }
        if (!done) {
            LOG.debug("GLM stream from {} ended after its finish_reason but without [DONE]", ep.name());
        }
        return usage.account(
                new ChatResponse(
                        id,
                        null,
                        created,
                        model != null ? model : request.model(),
                        content.toString(),
                        reasoning == null ? null : reasoning.toString(),
                        toolCalls.calls(),
                        FinishReason.of(finishRaw),
                        finishRaw,
                        used,
                        0,
                        ep.name()),
                request.model());
    }

    /**
     * What a broken stream had handed to the caller, or {@code null} when nothing had reached it: then the call
     * is repeated like any failed attempt, and callers must not repeat it once more.
     */
    private static String partial(StringBuilder content, AtomicBoolean delivered) {
        return delivered.get() ? content.toString() : null;
    }
}

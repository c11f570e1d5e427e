package io.openautoglm.glm.internal;

import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.GlmClient;
import java.util.function.Consumer;

/**
 * What the provider needs of a {@link GlmClient} beyond its API, reached without making it API (as OkHttp's
 * {@code Internal} did): {@link GlmClient} installs its hook when its class is initialised, which has happened by
 * the time anyone holds a client.
 */
public final class ClientAccess {
    private static volatile Chats chats;

    private ClientAccess() {}

    /** The chat call {@link #chatRepeatingUnfinished} runs. */
    @FunctionalInterface
    public interface Chats {
        ChatResponse chat(GlmClient client, ChatRequest request, boolean stream, Consumer<ChatResponse> unfinished);
    }

    /** Called once, by {@link GlmClient}. */
    public static synchronized void install(Chats hook) {
        if (chats != null) {
            throw new IllegalStateException("ClientAccess is installed by GlmClient alone, and once");
        }
        chats = hook;
    }

    /**
     * A chat call, blocking or streamed (its deltas going nowhere), whose unfinished answers are repeated within the
     * client's retry policy: each {@code network_error} answer is handed to {@code unfinishedAnswers} before it is
     * asked again, and a stream cut after content is repeated too. See {@link GlmCall}.
     */
    static ChatResponse chatRepeatingUnfinished(
            GlmClient client, ChatRequest request, boolean stream, Consumer<ChatResponse> unfinishedAnswers) {
        Chats c = chats;
        if (c == null) {
            throw new IllegalStateException("ClientAccess used before GlmClient was initialised");
        }
        return c.chat(client, request, stream, unfinishedAnswers);
    }
}

package io.openautoglm.glm.internal;

import io.openautoglm.glm.Endpoint;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Response;

/**
 * Turns a successful HTTP answer into the call's result (a chat answer, a streamed answer, a batch of embeddings).
 * It runs inside the attempt, so that an answer that breaks while it is read is a failed attempt like any other.
 */
@FunctionalInterface
public interface ResponseReader<T> {
    /**
     * @param delivered set by a streaming reader once content has reached the caller's consumer: from then on the
     *                  call is not repeated (unless the call repeats unfinished answers, see {@link GlmCall})
     */
    T read(Response response, Endpoint endpoint, AtomicBoolean delivered) throws IOException;
}

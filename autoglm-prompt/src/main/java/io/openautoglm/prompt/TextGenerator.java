package io.openautoglm.prompt;

import io.openautoglm.core.UsageMeter;

/**
 * A generative model as the optimisers need it: a prompt in, text out. Implement it over any chat client
 * (the GLM client, a local LLM); the optimisers depend on nothing else.
 *
 * <pre>{@code
 * TextGenerator glm = (prompt, usage) -> {
 *     ChatResponse r = client.chat(ChatRequest.builder("glm-4-flash").user(prompt).build());
 *     usage.record(r.usage().promptTokens(), r.usage().completionTokens(), r.cost());
 *     return r.content();
 * };
 * }</pre>
 *
 * <p>Implementations record each call in the meter they are given, so that budgets on calls, tokens and
 * cost count generation too. Must be thread-safe if shared between optimisers that run at once.
 */
@FunctionalInterface
public interface TextGenerator {

    /**
     * Generates a completion.
     *
     * @param prompt the whole prompt, sent as one user message
     * @param usage  where to record the call: tokens and cost
     * @throws RuntimeException when the call fails; the optimiser logs it and goes on without the proposal
     */
    String generate(String prompt, UsageMeter usage);
}

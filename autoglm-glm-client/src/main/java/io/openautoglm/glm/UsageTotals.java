package io.openautoglm.glm;

/**
 * What a client has consumed since it was built.
 *
 * @param calls            calls that got an answer (billed)
 * @param failedCalls      calls that ended in an exception after their retries
 * @param retries          attempts repeated after a retriable failure
 * @param promptTokens     prompt tokens over all answered calls
 * @param completionTokens completion tokens over all answered calls
 * @param cost             cost in the price table's currency
 */
public record UsageTotals(
        long calls, long failedCalls, long retries, long promptTokens, long completionTokens, double cost) {
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}

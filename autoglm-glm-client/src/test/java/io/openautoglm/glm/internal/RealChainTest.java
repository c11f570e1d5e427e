package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain itself: order, requests handed on, and misuse named. */
class RealChainTest {
    /** Adds a header naming itself on the way in and records itself on the way out. */
    record Tag(String name, List<String> log) implements Interceptor {
        @Override
        public <T> T intercept(Chain<T> chain) {
            log.add("in " + name);
            T result = chain.proceed(chain.request().withHeader(name, "1"));
            log.add("out " + name);
            return result;
        }
    }

    private static final Interceptor ANSWER = new Interceptor() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T intercept(Chain<T> chain) {
            return (T) String.join(
                    ",", chain.request().headers().keySet().stream().sorted().toList());
        }
    };

    @Test
    void interceptorsRunInOrderAndEachSeesTheRequestAsTheOnesBeforeShapedIt() {
        List<String> log = new ArrayList<>();
        GlmCall<String> call = new GlmCall<>((response, ep, d) -> "unused");
        String answer = RealChain.run(
                List.of(new Tag("a", log), new Tag("b", log), ANSWER), FakeChain.request("glm-4-flash"), call);
        assertEquals("a,b", answer);
        assertEquals(List.of("in a", "in b", "out b", "out a"), log);
    }

    @Test
    void aChainThatDoesNotEndInAnAnswerOrAnInterceptorReturningNullIsNamed() {
        GlmCall<String> call = new GlmCall<>((response, ep, d) -> "unused");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> RealChain.run(List.of(new Tag("a", new ArrayList<>())), FakeChain.request("glm-4-flash"), call));
        assertTrue(
                e.getMessage().contains("RealChainTest$Tag") && e.getMessage().contains("last"), e.getMessage());
        Interceptor nothing = new Interceptor() {
            @Override
            public <T> T intercept(Chain<T> chain) {
                return null;
            }
        };
        e = assertThrows(
                IllegalStateException.class, () -> RealChain.run(List.of(nothing), FakeChain.request("m"), call));
        assertTrue(e.getMessage().contains("returned null"), e.getMessage());
    }
}

/**
 * Test fixtures for model providers and the code that uses them, shipped as the {@code test-fixtures} classifier jar
 * of {@code autoglm-core} (type {@code test-jar}), so that every module tests against the same fakes instead of its
 * own copy:
 *
 * <ul>
 *   <li>{@link io.openautoglm.core.testing.ModelProviderContract}: the contract every
 *       {@link io.openautoglm.core.spi.ModelProvider} must keep, as an abstract JUnit 5 class a provider's tests
 *       extend (the TCK);</li>
 *   <li>{@link io.openautoglm.core.testing.KeywordModel}, a deterministic keyword fake for all three task types,
 *       and {@link io.openautoglm.core.testing.KeywordProvider}, which serves it as {@code fake:*};</li>
 *   <li>{@link io.openautoglm.core.testing.FakeProvider}, a base for a module's own fake providers: it reads and
 *       refuses options as real providers do.</li>
 * </ul>
 *
 * <p>The jar registers no provider: a module that wants {@code Models.open("fake:…")} lists
 * {@code io.openautoglm.core.testing.KeywordProvider} in its own
 * {@code src/test/resources/META-INF/services/io.openautoglm.core.spi.ModelProvider}. Needs JUnit Jupiter on the test
 * classpath.
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>io.openautoglm</groupId><artifactId>autoglm-core</artifactId>
 *   <type>test-jar</type><classifier>test-fixtures</classifier><scope>test</scope>
 * </dependency>
 * }</pre>
 */
package io.openautoglm.core.testing;

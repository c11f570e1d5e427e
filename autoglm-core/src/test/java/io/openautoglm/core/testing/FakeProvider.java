package io.openautoglm.core.testing;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.core.spi.OptionReader;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A base for test providers of fake models. It holds what describes a provider (name, artifact, example names, the
 * option keys its models read and which of them are secret) and opens a model the way real providers do: the
 * options are read with {@link OptionReader}, so an unknown key is refused naming the key and never the value.
 * It serves exactly its example names; override {@link #supports} to serve more.
 *
 * <p>To be found by {@code Models}, subclass it with a public no-argument constructor and list the subclass in the
 * test module's {@code META-INF/services/io.openautoglm.core.spi.ModelProvider}. Immutable and thread-safe.
 *
 * <pre>{@code
 * public final class MyFakeProvider extends FakeProvider {
 *     public MyFakeProvider() {
 *         super("fake", "com.example:my-module", List.of("fake"), Set.of("costPerCall"), Set.of());
 *     }
 *     @Override protected Model open(String modelName, OptionReader options) {
 *         return new MyFakeModel(options.decimal("costPerCall", 0, 0, Double.MAX_VALUE));
 *     }
 * }
 * }</pre>
 */
public abstract class FakeProvider implements ModelProvider {
    private final String name;
    private final String artifact;
    private final List<String> exampleModels;
    private final Set<String> optionKeys;
    private final Set<String> secretOptions;

    /**
     * @param name          the provider's short name
     * @param artifact      the Maven artifact that holds it, for messages
     * @param exampleModels the names it serves (see {@link #supports})
     * @param optionKeys    the option keys its models read; any other is refused
     * @param secretOptions the keys among {@code optionKeys} whose values are secrets
     */
    protected FakeProvider(
            String name,
            String artifact,
            List<String> exampleModels,
            Set<String> optionKeys,
            Set<String> secretOptions) {
        this.name = Objects.requireNonNull(name, "name");
        this.artifact = Objects.requireNonNull(artifact, "artifact");
        this.exampleModels = List.copyOf(exampleModels);
        this.optionKeys = Set.copyOf(optionKeys);
        this.secretOptions = Set.copyOf(secretOptions);
        if (!this.optionKeys.containsAll(this.secretOptions)) {
            throw new IllegalArgumentException(
                    "secretOptions: " + secretOptions + " must be among the option keys " + optionKeys);
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String artifact() {
        return artifact;
    }

    @Override
    public final List<String> exampleModels() {
        return exampleModels;
    }

    @Override
    public final Set<String> secretOptions() {
        return secretOptions;
    }

    /** Whether the name is one of the example names. */
    @Override
    public boolean supports(String modelName) {
        return exampleModels.contains(modelName);
    }

    /**
     * Reads the options ({@code "<name> model option"}), refusing unknown keys, and opens the model.
     *
     * @throws IllegalArgumentException for a name this provider does not serve, or an unknown option key
     */
    @Override
    public final Model open(String modelName, Map<String, String> options) {
        if (!supports(modelName)) {
            throw new IllegalArgumentException("model: the " + name + " provider does not serve '" + modelName
                    + "'; it serves names like " + exampleModels);
        }
        return open(modelName, OptionReader.of(name + " model option", options).requireKnown(optionKeys));
    }

    /** Opens the model, with its options already checked against the known keys. */
    protected abstract Model open(String modelName, OptionReader options);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + exampleModels + "]";
    }
}

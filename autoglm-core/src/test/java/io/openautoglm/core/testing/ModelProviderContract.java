package io.openautoglm.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.openautoglm.core.Entity;
import io.openautoglm.core.Failure;
import io.openautoglm.core.Label;
import io.openautoglm.core.Models;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UnsupportedTaskException;
import io.openautoglm.core.Usage;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.ModelProvider;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ModelProvider} must keep, as an abstract JUnit 5 test (a TCK, as LangChain4j has for its
 * providers). A provider's module extends it in its tests and says which provider, which model name, which options
 * and which task types; every {@code @Test} here then runs against that provider:
 *
 * <ul>
 *   <li>its name, artifact and example models are well-formed, and it serves each example name but not a foreign
 *       one ({@value #FOREIGN_MODEL});</li>
 *   <li>{@link Models} finds it through {@link java.util.ServiceLoader} (the module lists it in
 *       {@code META-INF/services}), as the only provider serving the model name;</li>
 *   <li>{@code open} gives a model with the name it was opened with, and closing that model twice is harmless;</li>
 *   <li>an unknown option key is refused with an {@link IllegalArgumentException} that names the key and does not
 *       repeat the value ({@value #SECRET_VALUE});</li>
 *   <li>the values of its {@link ModelProvider#secretOptions()} never show in the model's or a predictor's
 *       {@code toString()};</li>
 *   <li>for each supported task type: a batch of three gives one outcome per record, in order (each the same as
 *       the record predicted alone); an empty batch gives an empty list; each prediction fits the task (its type,
 *       a label of the label set, a score in [0, 1], entities found in the text), or the outcome is a typed
 *       {@link Failure}; usage counters never go negative (no batch lowers them);</li>
 *   <li>each unsupported task type is refused by {@link Model#predictor} with an {@link UnsupportedTaskException}
 *       that says why.</li>
 * </ul>
 *
 * <p>Each test opens its own model with {@link #openOptions()} and closes it, so keep the model small. The fakes of a
 * module pass it as well as the real providers do. Each check is a protected method, so that a subclass that must
 * narrow one overrides it and says why there.
 *
 * <pre>{@code
 * class LocalProviderContractTest extends ModelProviderContract {
 *     LocalProviderContractTest() {
 *         super(new LocalModelProvider(), "local:bge-small-zh", Map.of("maxTokens", "64"),
 *                 EnumSet.of(TaskType.TEXT_CLASSIFICATION, TaskType.SEMANTIC_MATCHING));
 *     }
 * }
 * }</pre>
 *
 * <p>A subclass whose options need a server starts it in a static {@code @BeforeAll}: JUnit runs that before it
 * creates the test instance.
 */
public abstract class ModelProviderContract {
    /** A model name no provider may serve. */
    public static final String FOREIGN_MODEL = "nosuch:model";
    /** The option key the contract passes to be refused. */
    public static final String UNKNOWN_OPTION = "contractNoSuchOption";
    /** The value of the unknown option: no error message may repeat it. */
    public static final String SECRET_VALUE = "sk-CONTRACT-SECRET";

    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z][a-z0-9-]*");
    /** {@code group:artifact}, optionally {@code :classifier}, optionally followed by a note in parentheses. */
    private static final Pattern ARTIFACT = Pattern.compile("[\\w.-]+:[\\w.-]+(:[\\w.-]+)?( \\(.+\\))?");

    private final ModelProvider provider;
    private final String modelName;
    private final Map<String, String> openOptions;
    private final Set<TaskType> supportedTasks;

    /**
     * @param provider       the provider, created as ServiceLoader creates it
     * @param modelName      a name it serves, opened by every test that needs a model
     * @param openOptions    the options to open that model with; give each of the provider's
     *                       {@code secretOptions()} a value here (of eight characters or more), so that the contract
     *                       can check it is never shown
     * @param supportedTasks the task types the model serves; the others must be refused
     */
    protected ModelProviderContract(
            ModelProvider provider, String modelName, Map<String, String> openOptions, Set<TaskType> supportedTasks) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.openOptions = Map.copyOf(openOptions);
        EnumSet<TaskType> tasks = EnumSet.noneOf(TaskType.class);
        tasks.addAll(supportedTasks);
        this.supportedTasks = Collections.unmodifiableSet(tasks);
    }

    /** The provider under test. */
    protected final ModelProvider provider() {
        return provider;
    }

    /** The model name the tests open. */
    protected final String modelName() {
        return modelName;
    }

    /** The options the tests open the model with. */
    protected final Map<String, String> openOptions() {
        return openOptions;
    }

    /** The task types the model serves. */
    protected final Set<TaskType> supportedTasks() {
        return supportedTasks;
    }

    /**
     * The task the contract runs for a type: a sentiment classification (正面, 负面), matching with the model's
     * defaults, or entity recognition of PER and LOC. Override to add options or examples the model needs.
     */
    protected TaskSpec taskSpec(TaskType type) {
        TaskSpec.Builder b = TaskSpec.builder().taskType(type);
        return switch (type) {
            case TEXT_CLASSIFICATION ->
                b.labels(List.of(Label.of("正面", "好评，满意"), Label.of("负面", "差评，不满意")))
                        .build();
            case SEMANTIC_MATCHING -> b.build();
            case NAMED_ENTITY_RECOGNITION ->
                b.entityTypes(List.of("PER", "LOC")).build();
        };
    }

    /** Three records for the type, with ids, as the pipeline hands them on (validated and normalised). */
    protected List<TextRecord> records(TaskType type) {
        List<TextRecord> records = switch (type) {
            case TEXT_CLASSIFICATION ->
                List.of(TextRecord.of("房间很干净，服务很好"), TextRecord.of("隔壁太吵了，体验很差"), TextRecord.of("还行吧"));
            case SEMANTIC_MATCHING ->
                List.of(
                        TextRecord.pair("怎么退款", "如何申请退款", null),
                        TextRecord.pair("我喜欢狗", "我喜欢猫", null),
                        TextRecord.pair("今天天气很好", "今天天气很好", null));
            case NAMED_ENTITY_RECOGNITION ->
                List.of(TextRecord.of("昨天张三去了北京。"), TextRecord.of("李四住在上海"), TextRecord.of("没有实体"));
        };
        List<TextRecord> withIds = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            withIds.add(records.get(i).toBuilder().id("contract-" + (i + 1)).build());
        }
        return withIds;
    }

    // ---------------------------------------------------------------------------------------------------------
    // describing itself

    @Test
    protected void describesItselfWithAWellFormedNameArtifactAndExampleModels() {
        ModelProvider p = provider();
        assertNotNull(p.name(), "name()");
        assertTrue(
                PROVIDER_NAME.matcher(p.name()).matches(),
                "name() should be a short lower-case word such as 'local' or 'glm', got '" + p.name() + "'");
        assertNotNull(p.artifact(), "artifact()");
        assertTrue(
                ARTIFACT.matcher(p.artifact()).matches(),
                "artifact() should be Maven coordinates such as 'io.openautoglm:autoglm-local', got '" + p.artifact()
                        + "'");
        List<String> examples = p.exampleModels();
        assertNotNull(examples, "exampleModels()");
        assertFalse(examples.isEmpty(), "exampleModels() should name at least one model, for messages");
        assertEquals(examples.size(), new HashSet<>(examples).size(), "exampleModels() repeats a name: " + examples);
        for (String example : examples) {
            assertTrue(
                    example != null && !example.isBlank() && example.equals(example.strip()),
                    "exampleModels() holds a blank or padded name: '" + example + "'");
            assertTrue(p.supports(example), p.name() + " does not support its own example model '" + example + "'");
        }
        assertTrue(p.supports(modelName()), p.name() + " does not support the contract's model '" + modelName() + "'");
        Set<String> secrets = p.secretOptions();
        assertNotNull(secrets, "secretOptions()");
        secrets.forEach(k -> assertTrue(k != null && !k.isBlank(), "secretOptions() holds a blank key: " + secrets));
    }

    @Test
    protected void doesNotServeAForeignModelName() {
        assertFalse(provider().supports(FOREIGN_MODEL), provider().name() + " claims '" + FOREIGN_MODEL + "'");
    }

    @Test
    protected void isFoundThroughServiceLoaderAsTheOnlyProviderOfItsModel() throws ReflectiveOperationException {
        Class<? extends ModelProvider> type = provider().getClass();
        assertTrue(
                Modifier.isPublic(type.getModifiers())
                        && Modifier.isPublic(type.getConstructor().getModifiers()),
                type.getName() + " needs to be public with a public no-argument constructor for ServiceLoader");
        List<ModelProvider> found = Models.providers();
        assertTrue(
                found.stream().anyMatch(type::isInstance),
                type.getName() + " is not listed in " + "META-INF/services/" + ModelProvider.class.getName()
                        + "; found " + names(found));
        List<ModelProvider> serving =
                found.stream().filter(p -> p.supports(modelName())).toList();
        assertEquals(
                1,
                serving.size(),
                "Models.open('" + modelName() + "') needs exactly one provider, found " + names(serving));
        assertTrue(type.isInstance(serving.get(0)), "'" + modelName() + "' is served by " + names(serving));
    }

    // ---------------------------------------------------------------------------------------------------------
    // opening and closing

    @Test
    protected void opensAModelWithItsNameThatCanBeClosedTwice() {
        Model model = open();
        try {
            assertEquals(modelName(), model.name(), "Model.name() is the name it was opened with");
        } finally {
            model.close();
        }
        model.close();
    }

    @Test
    protected void refusesAnUnknownOptionNamingTheKeyButNotTheValue() {
        Map<String, String> options = new LinkedHashMap<>(openOptions());
        options.put(UNKNOWN_OPTION, SECRET_VALUE);
        IllegalArgumentException e;
        try {
            Model model = provider().open(modelName(), options);
            model.close();
            fail(provider().name() + " accepted the unknown option '" + UNKNOWN_OPTION
                    + "': read options with OptionReader.requireKnown, so that a misspelt key is not ignored");
            return;
        } catch (IllegalArgumentException refused) {
            e = refused;
        }
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains(UNKNOWN_OPTION), "the message should name the key: " + message);
        assertFalse(message.contains(SECRET_VALUE), "the message repeats the option's value: " + message);
    }

    @Test
    protected void neverShowsASecretOptionInToString() {
        Set<String> secrets = provider().secretOptions();
        List<String> values = new ArrayList<>();
        for (String key : secrets) {
            String value = openOptions().get(key);
            assertTrue(
                    value != null && value.strip().length() >= 8,
                    "openOptions() should give the secret option '" + key
                            + "' a value of eight characters or more, so that the contract can look for it");
            values.add(value.strip());
        }
        try (Model model = open()) {
            List<String> shown = new ArrayList<>(List.of(String.valueOf(model)));
            for (TaskType type : supportedTasks()) {
                shown.add(String.valueOf(model.predictor(Task.of(taskSpec(type)))));
            }
            for (String text : shown) {
                for (String value : values) {
                    assertFalse(text.contains(value), "a secret option's value is shown: " + text);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // predicting

    @Test
    protected void predictsOneOutcomePerRecordInOrder() {
        try (Model model = open()) {
            for (TaskType type : supportedTasks()) {
                Predictor predictor = model.predictor(Task.of(taskSpec(type)));
                List<TextRecord> batch = records(type);
                List<Outcome> outcomes = predict(predictor, batch, new UsageMeter(), type);
                for (int i = 0; i < batch.size(); i++) {
                    List<Outcome> alone = predict(predictor, List.of(batch.get(i)), new UsageMeter(), type);
                    assertEquals(
                            summary(alone.get(0)),
                            summary(outcomes.get(i)),
                            type + ": record " + (i + 1)
                                    + " of the batch got another outcome than when predicted alone; outcomes out of order?");
                }
            }
        }
    }

    @Test
    protected void predictsAnEmptyBatchAsAnEmptyList() {
        try (Model model = open()) {
            for (TaskType type : supportedTasks()) {
                List<Outcome> outcomes =
                        model.predictor(Task.of(taskSpec(type))).predict(List.of(), new UsageMeter());
                assertNotNull(outcomes, type + ": an empty batch gave null");
                assertTrue(outcomes.isEmpty(), type + ": an empty batch gave " + outcomes);
            }
        }
    }

    @Test
    protected void predictionsFitTheTaskOrAreTypedFailures() {
        try (Model model = open()) {
            for (TaskType type : supportedTasks()) {
                Task task = Task.of(taskSpec(type));
                List<TextRecord> batch = records(type);
                List<Outcome> outcomes = predict(model.predictor(task), batch, new UsageMeter(), type);
                for (int i = 0; i < batch.size(); i++) {
                    Outcome o = outcomes.get(i);
                    String where = type + " record " + (i + 1) + ": ";
                    if (!o.succeeded()) {
                        assertNotNull(o.failure().kind(), where + "a failure without a kind");
                        assertFalse(o.failure().message().isBlank(), where + "a failure without a message");
                        continue;
                    }
                    Optional<Failure> unfit = task.checkPrediction(o.prediction());
                    assertTrue(
                            unfit.isEmpty(),
                            where + unfit.map(Failure::toString).orElse(""));
                    checkPrediction(where, o.prediction(), batch.get(i));
                }
            }
        }
    }

    /** Each batch adds to the usage counters (calls, tokens, cost, truncated texts) and takes nothing away. */
    @Test
    protected void usageCountersNeverGoNegative() {
        try (Model model = open()) {
            UsageMeter usage = new UsageMeter();
            for (TaskType type : supportedTasks()) {
                Predictor predictor = model.predictor(Task.of(taskSpec(type)));
                for (List<TextRecord> batch : List.of(records(type), List.<TextRecord>of())) {
                    Usage before = usage.snapshot(Duration.ZERO);
                    long truncatedBefore = usage.truncated();
                    predictor.predict(batch, usage);
                    Usage u = usage.snapshot(Duration.ZERO);
                    String where = type + " batch of " + batch.size() + ": " + before + " became " + u + ", truncated "
                            + truncatedBefore + " became " + usage.truncated();
                    assertTrue(
                            u.calls() >= before.calls()
                                    && u.promptTokens() >= before.promptTokens()
                                    && u.completionTokens() >= before.completionTokens(),
                            where);
                    assertTrue(Double.isFinite(u.cost()) && u.cost() >= before.cost(), where);
                    assertTrue(usage.truncated() >= truncatedBefore, where);
                }
            }
        }
    }

    @Test
    protected void refusesEachUnsupportedTaskTypeSayingWhy() {
        Set<TaskType> unsupported = EnumSet.allOf(TaskType.class);
        unsupported.removeAll(supportedTasks());
        try (Model model = open()) {
            for (TaskType type : unsupported) {
                UnsupportedTaskException e = assertThrows(
                        UnsupportedTaskException.class,
                        () -> model.predictor(Task.of(taskSpec(type))),
                        modelName() + " should refuse " + type + " with an UnsupportedTaskException");
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), type + ": the refusal says nothing");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private Model open() {
        Model model = provider().open(modelName(), openOptions());
        assertNotNull(model, "open('" + modelName() + "') returned null");
        return model;
    }

    private static List<Outcome> predict(Predictor predictor, List<TextRecord> batch, UsageMeter usage, TaskType type) {
        List<Outcome> outcomes = predictor.predict(batch, usage);
        assertNotNull(outcomes, type + ": predict returned null");
        assertEquals(batch.size(), outcomes.size(), type + ": one outcome per record");
        for (int i = 0; i < outcomes.size(); i++) {
            assertNotNull(outcomes.get(i), type + ": outcome " + (i + 1) + " is null");
        }
        return outcomes;
    }

    /** The checks {@link Task#checkPrediction} leaves to the model: scores and entity offsets. */
    private static void checkPrediction(String where, Prediction prediction, TextRecord record) {
        if (prediction instanceof Prediction.Classification c) {
            assertTrue(c.score() >= 0 && c.score() <= 1, where + "score " + c.score() + " outside [0, 1]");
            c.scores()
                    .forEach((label, score) -> assertTrue(
                            score != null && score >= 0 && score <= 1,
                            where + "score of " + label + " is " + score + ", outside [0, 1]"));
        } else if (prediction instanceof Prediction.Match m) {
            assertTrue(m.score() >= 0 && m.score() <= 1, where + "score " + m.score() + " outside [0, 1]");
        } else if (prediction instanceof Prediction.Entities es) {
            for (Entity e : es.entities()) {
                assertTrue(
                        e.end() <= record.text().length()
                                && record.text().substring(e.start(), e.end()).equals(e.mention()),
                        where + e + " is not in the text '" + record.text() + "' at its offsets");
            }
        }
    }

    /** What an outcome decided, for comparing a batch with its records predicted alone. */
    private static String summary(Outcome o) {
        if (!o.succeeded()) {
            return "failed " + o.failure().kind();
        }
        Prediction p = o.prediction();
        if (p instanceof Prediction.Classification c) {
            return "label " + c.label();
        }
        if (p instanceof Prediction.Match m) {
            return "matched " + m.matched();
        }
        return "entities " + ((Prediction.Entities) p).entities();
    }

    private static List<String> names(List<ModelProvider> providers) {
        return providers.stream()
                .map(p -> p.name() + " (" + p.getClass().getName() + ")")
                .toList();
    }
}

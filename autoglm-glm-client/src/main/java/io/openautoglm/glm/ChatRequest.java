package io.openautoglm.glm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chat completion request. Immutable; build with {@link #builder(String)}. Fields left unset are not sent, so
 * the model's own defaults apply.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder("glm-4-flash")
 *         .system("You are a terse assistant.")
 *         .user("Name one prime number.")
 *         .temperature(0.2)
 *         .build();
 * }</pre>
 */
public final class ChatRequest {
    private final String model;
    private final List<ChatMessage> messages;
    private final Double temperature;
    private final Double topP;
    private final Integer maxTokens;
    private final Boolean doSample;
    private final List<String> stop;
    private final boolean jsonObject;
    private final String requestId;
    private final String userId;
    private final String thinking;
    private final Map<String, Object> extraFields;

    private ChatRequest(Builder b) {
        this.model = b.model;
        this.messages = List.copyOf(b.messages);
        this.temperature = b.temperature;
        this.topP = b.topP;
        this.maxTokens = b.maxTokens;
        this.doSample = b.doSample;
        this.stop = List.copyOf(b.stop);
        this.jsonObject = b.jsonObject;
        this.requestId = b.requestId;
        this.userId = b.userId;
        this.thinking = b.thinking;
        for (String name : b.extraFields.keySet()) {
            if (NAMED_FIELDS.contains(name)) {
                // written last, it would replace the checked value (a temperature of 5, stream on a blocking call)
                throw new IllegalArgumentException("extraField '" + name + "': set by the builder's own method, "
                        + "which checks it; extra fields are for what the builder does not cover, such as tools");
            }
        }
        this.extraFields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.extraFields));
    }

    /** The body fields the builder writes itself. */
    private static final java.util.Set<String> NAMED_FIELDS = java.util.Set.of(
            "model",
            "messages",
            "stream",
            "temperature",
            "top_p",
            "max_tokens",
            "do_sample",
            "stop",
            "response_format",
            "request_id",
            "user_id",
            "thinking");

    public static Builder builder(String model) {
        return new Builder(model);
    }

    public String model() {
        return model;
    }

    public List<ChatMessage> messages() {
        return messages;
    }

    public Double temperature() {
        return temperature;
    }

    public Double topP() {
        return topP;
    }

    public Integer maxTokens() {
        return maxTokens;
    }

    public Boolean doSample() {
        return doSample;
    }

    public List<String> stop() {
        return stop;
    }

    /** Whether the answer must be a JSON object ({@code response_format: json_object}). */
    public boolean jsonObject() {
        return jsonObject;
    }

    public String requestId() {
        return requestId;
    }

    public String userId() {
        return userId;
    }

    /** {@code enabled}, {@code disabled} or {@code null} (the model decides). */
    public String thinking() {
        return thinking;
    }

    /** Further top-level fields sent as they are, for parameters this class does not name. */
    public Map<String, Object> extraFields() {
        return extraFields;
    }

    public Builder toBuilder() {
        Builder b = new Builder(model);
        b.messages.addAll(messages);
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.doSample = doSample;
        b.stop.addAll(stop);
        b.jsonObject = jsonObject;
        b.requestId = requestId;
        b.userId = userId;
        b.thinking = thinking;
        b.extraFields.putAll(extraFields);
        return b;
    }

    @Override
    public String toString() {
        return "ChatRequest[model=" + model + ", messages=" + messages.size() + ", temperature=" + temperature
                + ", maxTokens=" + maxTokens + ", json=" + jsonObject + "]";
    }

    /** Builds a {@link ChatRequest}; {@link #build()} checks every field against GLM's documented ranges. */
    public static final class Builder {
        private final String model;
        private final List<ChatMessage> messages = new ArrayList<>();
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private Boolean doSample;
        private final List<String> stop = new ArrayList<>();
        private boolean jsonObject;
        private String requestId;
        private String userId;
        private String thinking;
        private final Map<String, Object> extraFields = new LinkedHashMap<>();

        private Builder(String model) {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException(
                        "model: a model name is required, e.g. glm-4-flash, got '" + model + "'");
            }
            this.model = model;
        }

        public Builder message(ChatMessage message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        public Builder messages(List<ChatMessage> list) {
            list.forEach(this::message);
            return this;
        }

        public Builder system(String content) {
            return message(ChatMessage.system(content));
        }

        public Builder user(String content) {
            return message(ChatMessage.user(content));
        }

        public Builder assistant(String content) {
            return message(ChatMessage.assistant(content));
        }

        /** Sampling temperature in [0, 1]. */
        public Builder temperature(double value) {
            this.temperature = value;
            return this;
        }

        /** Nucleus sampling in [0.01, 1]. */
        public Builder topP(double value) {
            this.topP = value;
            return this;
        }

        public Builder maxTokens(int value) {
            this.maxTokens = value;
            return this;
        }

        /** {@code false} asks for greedy decoding: the same prompt gives the same answer. */
        public Builder doSample(boolean value) {
            this.doSample = value;
            return this;
        }

        /** A stop word; GLM accepts one. */
        public Builder stop(String word) {
            stop.clear();
            stop.add(Objects.requireNonNull(word, "stop"));
            return this;
        }

        /** Asks for a JSON object answer ({@code response_format: {"type":"json_object"}}). */
        public Builder jsonObject(boolean value) {
            this.jsonObject = value;
            return this;
        }

        public Builder requestId(String value) {
            this.requestId = value;
            return this;
        }

        /** The end user's id, 6 to 128 characters. */
        public Builder userId(String value) {
            this.userId = value;
            return this;
        }

        /** {@code enabled} or {@code disabled}: switches GLM-4.5+ "thinking". */
        public Builder thinking(String value) {
            this.thinking = value;
            return this;
        }

        /**
         * A further top-level field, sent as given (a String, Number, Boolean, List or Map), such as {@code tools};
         * a field the builder sets itself (model, messages, stream, temperature, ...) is refused at {@code build()}.
         */
        public Builder extraField(String name, Object value) {
            extraFields.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        public ChatRequest build() {
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("messages: at least one message is needed, got none");
            }
            if (messages.stream().noneMatch(m -> m.role().equals("user"))) {
                throw new IllegalArgumentException("messages: GLM needs a user turn, got roles "
                        + messages.stream().map(ChatMessage::role).toList());
            }
            if (temperature != null && (temperature < 0 || temperature > 1 || temperature.isNaN())) {
                throw new IllegalArgumentException("temperature: must be in [0, 1], got " + temperature);
            }
            if (topP != null && (topP < 0.01 || topP > 1 || topP.isNaN())) {
                throw new IllegalArgumentException("topP: must be in [0.01, 1], got " + topP);
            }
            if (maxTokens != null && maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens: must be at least 1, got " + maxTokens);
            }
            if (userId != null && (userId.length() < 6 || userId.length() > 128)) {
                throw new IllegalArgumentException("userId: must be 6 to 128 characters, got " + userId.length());
            }
            if (thinking != null && !thinking.equals("enabled") && !thinking.equals("disabled")) {
                throw new IllegalArgumentException("thinking: must be enabled or disabled, got '" + thinking + "'");
            }
            return new ChatRequest(this);
        }
    }
}

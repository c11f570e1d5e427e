package io.openautoglm.glm;

import java.util.Objects;

/**
 * One turn of a conversation: role {@code system}, {@code user}, {@code assistant} or {@code tool}, and its text.
 *
 * @param toolCallId for a {@code tool} turn, the id of the call it answers; otherwise {@code null}
 */
public record ChatMessage(String role, String content, String toolCallId) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        if (!role.equals("system") && !role.equals("user") && !role.equals("assistant") && !role.equals("tool")) {
            throw new IllegalArgumentException("role: must be system, user, assistant or tool, got '" + role + "'");
        }
        Objects.requireNonNull(content, "content");
        // the API pairs a tool result with the call it answers, and only a tool result
        if (role.equals("tool") && (toolCallId == null || toolCallId.isBlank())) {
            throw new IllegalArgumentException("toolCallId: a tool message answers a call and needs its id");
        }
        if (!role.equals("tool") && toolCallId != null) {
            throw new IllegalArgumentException(
                    "toolCallId: only a tool message carries one, this is a " + role + " message");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null);
    }

    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage("tool", content, Objects.requireNonNull(toolCallId, "toolCallId"));
    }
}

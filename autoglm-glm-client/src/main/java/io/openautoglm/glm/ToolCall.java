package io.openautoglm.glm;

/**
 * A tool call the model asked for. {@code arguments} is the JSON text of the arguments (GLM sends a string;
 * an object is turned into its JSON text).
 */
public record ToolCall(String id, String type, String name, String arguments) {}

package io.openautoglm.core;

import java.util.Objects;

/**
 * A class label and the wording a model sees for it. The name is what results and metrics report; the
 * description is what an embedding model compares texts with, or what a prompt lists. By default the
 * description is the name itself.
 */
public record Label(String name, String description) {
    public Label {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("label name must not be blank");
        }
        description = description == null || description.isBlank() ? name : description;
    }

    public static Label of(String name) {
        return new Label(name, name);
    }

    public static Label of(String name, String description) {
        return new Label(name, description);
    }
}

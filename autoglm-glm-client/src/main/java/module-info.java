/** The Zhipu GLM API client and the glm-* model provider. */
module io.openautoglm.glm {
    requires transitive io.openautoglm.core;
    requires okhttp3;
    requires okio;
    requires com.fasterxml.jackson.databind;

    exports io.openautoglm.glm;

    provides io.openautoglm.core.spi.ModelProvider with
            io.openautoglm.glm.internal.GlmModelProvider;
}

/** Prompt optimisers over the core's task specs. */
module io.openautoglm.prompt {
    requires transitive io.openautoglm.core;
    requires com.fasterxml.jackson.databind;
    requires static org.knowm.xchart;
    requires static java.desktop;

    exports io.openautoglm.prompt;
}

/** The embedded local engine: ONNX Runtime models, and TorchScript folders through DJL. */
module io.openautoglm.local {
    requires transitive io.openautoglm.core;
    requires com.microsoft.onnxruntime;
    requires ai.djl.api;
    requires ai.djl.tokenizers;

    exports io.openautoglm.local;

    provides io.openautoglm.core.spi.ModelProvider with
            io.openautoglm.local.LocalModelProvider;
}

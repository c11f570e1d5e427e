/** The embedded local engine: ONNX Runtime models, and TorchScript folders through DJL. */
// the qualified export below names a module built after this one
@SuppressWarnings("module")
module io.openautoglm.local {
    requires transitive io.openautoglm.core;
    requires com.microsoft.onnxruntime;
    requires ai.djl.api;
    requires ai.djl.tokenizers;
    requires com.fasterxml.jackson.databind;

    exports io.openautoglm.local;
    // the model files and tokenizer settings, shared with the trainer: not an API
    exports io.openautoglm.local.internal to
            io.openautoglm.train;

    provides io.openautoglm.core.spi.ModelProvider with
            io.openautoglm.local.LocalModelProvider;
}

/**
 * The local engine: sentence-embedding models that run inside the JVM on Deep Java Library with ONNX
 * Runtime (or PyTorch for TorchScript folders), with no API key and no network. The model files come from
 * Maven artifacts or a local folder, never from a hub.
 *
 * <p>Public API: {@link io.openautoglm.local.LocalModelProvider} (the {@code local:} provider for
 * {@link io.openautoglm.core.Models}), {@link io.openautoglm.local.LocalModel},
 * {@link io.openautoglm.local.LocalEmbeddings} (raw vectors), {@link io.openautoglm.local.LocalOptions},
 * and the reusable heads {@link io.openautoglm.local.LogisticRegressionHead} and
 * {@link io.openautoglm.local.ThresholdCalibrator}.
 *
 * <pre>{@code
 * try (LocalEmbeddings bge = LocalEmbeddings.open("local:bge-small-zh")) {
 *     float[][] v = bge.embed(List.of("房间很干净", "服务很差"));
 * }
 * }</pre>
 */
package io.openautoglm.local;

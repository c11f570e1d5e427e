package io.openautoglm.gnn.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.HyperParameters;
import io.openautoglm.gnn.TrainingReport;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Trains a node classifier: cross-entropy on the train split, early stopping on validation. */
public final class NodeTrainer {
  private NodeTrainer() {}

  /**
   * Trains one network; when {@code keep} is false the network is freed before returning.
   *
   * @param stop polled every epoch; returning true ends training early (wall-time budget)
   */
  public static Result train(
      NodeData data, Architecture arch, HyperParameters hp, long seed, boolean keep, BooleanSupplier stop) {
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) seed);
    data.features.reseed(seed);
    NDManager modelManager = data.manager.newSubManager();
    try {
      Network net = new Network(modelManager, arch, data.graph.numFeatures(), data.numClasses, seed);
      Adam adam = new Adam(modelManager, net.parameters(), hp.learningRate(), hp.weightDecay());
      long start = System.nanoTime();
      long trainNanos = 0;
      double keptAcc = -1;
      double keptLoss = Double.POSITIVE_INFINITY;
      double bestLoss = Double.POSITIVE_INFINITY;
      int bestEpoch = 0;
      int sinceImprovement = 0;
      float[][] best = null;
      int epoch = 0;
      float nTrain = data.train.length;
      boolean byLoss = hp.checkpoint() == HyperParameters.Checkpoint.LOWEST_LOSS;
      while (epoch < hp.maxEpochs()) {
        epoch++;
        long t0 = System.nanoTime();
        try (NDScope scope = new NDScope()) {
          try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray logits = net.forward(data.structure, data.features, true);
            NDArray logp = logits.get(new ai.djl.ndarray.index.NDIndex("{}", data.trainIdx)).logSoftmax(1);
            NDArray loss = logp.mul(data.trainOneHot).sum().neg().div(nTrain);
            gc.backward(loss);
          }
          adam.step();
          scope.suppressNotUsedWarning();
        }
        trainNanos += System.nanoTime() - t0;
        double[] eval = evaluate(net, data);
        double valAcc = eval[0];
        double valLoss = eval[1];
        boolean improved = false;
        boolean better = byLoss ? valLoss < keptLoss : valAcc > keptAcc || (valAcc == keptAcc && valLoss < keptLoss);
        if (better) {
          keptAcc = valAcc;
          keptLoss = valLoss;
          bestEpoch = epoch;
          best = net.snapshot();
          improved = true;
        }
        if (valLoss < bestLoss) {
          bestLoss = valLoss;
          improved = true;
        }
        sinceImprovement = improved ? 0 : sinceImprovement + 1;
        if (sinceImprovement >= hp.patience() || stop.getAsBoolean()) {
          break;
        }
      }
      if (best != null) {
        net.restore(best);
      }
      double testAcc = accuracy(predict(net, data), data.labels, data.test);
      TrainingReport outcome =
          new TrainingReport(
              keptAcc,
              keptLoss,
              Map.of("accuracy", testAcc),
              epoch,
              bestEpoch,
              trainNanos / 1e9 / epoch,
              (System.nanoTime() - start) / 1e9,
              net.parameters().stream().mapToLong(NDArray::size).sum());
      if (keep) {
        return new Result(outcome, net, modelManager);
      }
      modelManager.close();
      return new Result(outcome, null, null);
    } catch (RuntimeException e) {
      modelManager.close();
      throw e;
    }
  }

  /** Validation accuracy and loss (eval mode). */
  private static double[] evaluate(Network net, NodeData data) {
    try (NDScope scope = new NDScope()) {
      NDArray logits = net.forward(data.structure, data.features, false);
      NDArray valLogits = logits.get(new ai.djl.ndarray.index.NDIndex("{}", data.valIdx));
      float loss = valLogits.logSoftmax(1).mul(data.valOneHot).sum().neg().getFloat() / data.valOneHot.getShape().get(0);
      long[] pred = valLogits.argMax(1).toLongArray();
      int[] nodes = data.val.length > 0 ? data.val : data.train;
      int ok = 0;
      for (int i = 0; i < nodes.length; i++) {
        if (pred[i] == data.labels[nodes[i]]) {
          ok++;
        }
      }
      scope.suppressNotUsedWarning();
      return new double[] {ok / (double) nodes.length, loss};
    }
  }

  /** Class probabilities for every node, row-major (N × C). */
  public static float[] probabilities(Network net, NodeData data) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return net.forward(data.structure, data.features, false).softmax(1).toFloatArray();
    }
  }

  public static int[] predict(Network net, NodeData data) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      long[] p = net.forward(data.structure, data.features, false).argMax(1).toLongArray();
      int[] out = new int[p.length];
      for (int i = 0; i < p.length; i++) {
        out[i] = (int) p[i];
      }
      return out;
    }
  }

  static double accuracy(int[] pred, int[] labels, int[] nodes) {
    if (nodes.length == 0) {
      return Double.NaN;
    }
    int ok = 0;
    for (int i : nodes) {
      if (pred[i] == labels[i]) {
        ok++;
      }
    }
    return ok / (double) nodes.length;
  }

  /** A training outcome with, when kept, the network and the manager owning its parameters. */
  public record Result(TrainingReport outcome, Network network, NDManager manager) {}
}

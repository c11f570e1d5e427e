package io.openautoglm.gnn;

import io.openautoglm.gnn.Architecture.Activation;
import io.openautoglm.gnn.Architecture.Operator;
import io.openautoglm.gnn.HyperParameters.Checkpoint;
import io.openautoglm.gnn.internal.SearchSpaceRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The choices the controller samples from, plus a prior over operators. The task-aware engine derives
 * one from the {@link MetaFeatures} (see {@link #rationale()} for the rules that fired); a caller can
 * pass its own to {@link AutoGnn.Builder#searchSpace(SearchSpace)}.
 *
 * <pre>{@code
 * SearchSpace s = SearchSpace.defaults().withOperators(List.of(Operator.GCN, Operator.SAGE));
 * }</pre>
 *
 * @param layers allowed layer counts (1 to 3)
 * @param operators allowed operators per layer
 * @param operatorPrior prior sampling weight per operator (the controller's starting policy)
 * @param hidden allowed hidden widths
 * @param heads allowed GAT head counts
 * @param activations allowed activations
 * @param skip allowed skip settings
 * @param dropouts allowed dropout rates
 * @param propagation allowed hops of adaptive propagation after the last layer (0 = none)
 * @param learningRates learning rates tried when tuning
 * @param weightDecays weight decays tried when tuning
 * @param propagationWeightDecay weight decay of a first trial of an architecture with deep propagation
 *     (others start at 5e-4, as GCN and GAT do); tuning may move it to any of {@code weightDecays}
 * @param selfTraining rounds of self-training tuning may choose from (the search's trials use the first)
 * @param consistency weight of consistency regularisation every trial trains with (see {@link
 *     HyperParameters#consistency()}; 0 = none; one value for all, so that trial scores compare)
 * @param maxEpochs epoch cap for one trial
 * @param patience early-stopping patience for one trial
 * @param checkpoint which epoch every trial keeps (one rule for all, so that trial scores compare)
 * @param starts architectures tried before the controller proposes any (known-good designs for this
 *     kind of graph); the controller learns from their scores like from its own proposals
 * @param rationale human-readable reasons for the choices (rules that fired)
 */
public record SearchSpace(
        List<Integer> layers,
        List<Operator> operators,
        Map<Operator, Double> operatorPrior,
        List<Integer> hidden,
        List<Integer> heads,
        List<Activation> activations,
        List<Boolean> skip,
        List<Double> dropouts,
        List<Integer> propagation,
        List<Double> learningRates,
        List<Double> weightDecays,
        double propagationWeightDecay,
        List<Integer> selfTraining,
        double consistency,
        int maxEpochs,
        int patience,
        Checkpoint checkpoint,
        List<Architecture> starts,
        List<String> rationale) {

    public SearchSpace {
        layers = nonEmpty("layers", layers);
        operators = nonEmpty("operators", operators);
        operatorPrior = Map.copyOf(Objects.requireNonNull(operatorPrior, "operatorPrior"));
        hidden = nonEmpty("hidden", hidden);
        heads = nonEmpty("heads", heads);
        activations = nonEmpty("activations", activations);
        skip = nonEmpty("skip", skip);
        dropouts = nonEmpty("dropouts", dropouts);
        propagation = nonEmpty("propagation", propagation);
        Objects.requireNonNull(checkpoint, "checkpoint");
        starts = List.copyOf(Objects.requireNonNull(starts, "starts"));
        learningRates = nonEmpty("learningRates", learningRates);
        weightDecays = nonEmpty("weightDecays", weightDecays);
        selfTraining = nonEmpty("selfTraining", selfTraining);
        for (int r : selfTraining) {
            if (r < 0) {
                throw new IllegalArgumentException("selfTraining must each be >= 0, was " + selfTraining);
            }
        }
        rationale = List.copyOf(rationale);
        for (int l : layers) {
            if (l < 1 || l > 3) {
                throw new IllegalArgumentException("layers must each be 1..3, was " + layers);
            }
        }
        for (int k : propagation) {
            if (k < 0 || k > Architecture.MAX_PROPAGATION) {
                throw new IllegalArgumentException(
                        "propagation must each be 0.." + Architecture.MAX_PROPAGATION + ", was " + propagation);
            }
        }
        if (!(consistency >= 0 && consistency <= 100)) {
            throw new IllegalArgumentException("consistency must be in [0, 100], was " + consistency);
        }
        if (!(propagationWeightDecay >= 0)) {
            throw new IllegalArgumentException("propagationWeightDecay must be >= 0, was " + propagationWeightDecay);
        }
        if (maxEpochs < 1 || patience < 1) {
            throw new IllegalArgumentException(
                    "maxEpochs and patience must be >= 1, were " + maxEpochs + ", " + patience);
        }
    }

    private static <T> List<T> nonEmpty(String field, List<T> v) {
        Objects.requireNonNull(v, field);
        if (v.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        return List.copyOf(v);
    }

    /**
     * The full space with a uniform operator prior, keeping each trial's best-score epoch, no starts, no
     * self-training or consistency regularisation.
     */
    public static SearchSpace defaults() {
        return new SearchSpace(
                List.of(1, 2, 3),
                List.of(Operator.GCN, Operator.GAT, Operator.SAGE, Operator.LINEAR),
                Map.of(Operator.GCN, 1.0, Operator.GAT, 1.0, Operator.SAGE, 1.0, Operator.LINEAR, 1.0),
                List.of(16, 32, 64, 128),
                List.of(1, 2, 4, 8),
                List.of(Activation.RELU, Activation.ELU, Activation.LEAKY_RELU, Activation.TANH),
                List.of(false, true),
                List.of(0.2, 0.4, 0.5, 0.6, 0.7, 0.8),
                List.of(0, 5, 10, 20),
                List.of(0.005, 0.01, 0.02),
                List.of(0.0, 5e-5, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2),
                5e-3,
                List.of(0),
                0,
                300,
                100,
                Checkpoint.BEST_SCORE,
                List.of(),
                List.of("defaults"));
    }

    /**
     * The space {@link AutoGnn} derives from a graph's meta-features when none is given: start from it to
     * change one thing, e.g. {@code SearchSpace.derivedFrom(MetaFeatures.of(g), task).withStarts(List.of())}.
     * {@link #rationale()} says which rule set what.
     */
    public static SearchSpace derivedFrom(MetaFeatures meta, GnnTask task) {
        return SearchSpaceRules.derive(Objects.requireNonNull(meta, "meta"), Objects.requireNonNull(task, "task"));
    }

    /** This space restricted to the given operators; starting designs that use others are dropped. */
    public SearchSpace withOperators(List<Operator> ops) {
        List<Architecture> kept =
                starts.stream().filter(a -> ops.containsAll(a.operators())).toList();
        return new SearchSpace(
                layers,
                ops,
                operatorPrior,
                hidden,
                heads,
                activations,
                skip,
                dropouts,
                propagation,
                learningRates,
                weightDecays,
                propagationWeightDecay,
                selfTraining,
                consistency,
                maxEpochs,
                patience,
                checkpoint,
                kept,
                dropped(kept, "operators " + ops));
    }

    /**
     * This space with other propagation depths; {@code List.of(0)} leaves deep propagation out. Starting
     * designs with other depths are dropped.
     */
    public SearchSpace withPropagation(List<Integer> hops) {
        List<Architecture> kept =
                starts.stream().filter(a -> hops.contains(a.propagation())).toList();
        return new SearchSpace(
                layers,
                operators,
                operatorPrior,
                hidden,
                heads,
                activations,
                skip,
                dropouts,
                hops,
                learningRates,
                weightDecays,
                propagationWeightDecay,
                selfTraining,
                consistency,
                maxEpochs,
                patience,
                checkpoint,
                kept,
                dropped(kept, "propagation " + hops));
    }

    /** The rationale, with a line for the starting designs a narrowing left out, if any. */
    private List<String> dropped(List<Architecture> kept, String narrowedTo) {
        if (kept.size() == starts.size()) {
            return rationale;
        }
        List<String> why = new ArrayList<>(rationale);
        why.add("starting designs outside " + narrowedTo + " left out: "
                + starts.stream()
                        .filter(a -> !kept.contains(a))
                        .map(Architecture::describe)
                        .collect(Collectors.joining("; ")));
        return why;
    }

    /**
     * This space with other starting architectures ({@code List.of()} for none); the rationale records the
     * change, since a derived space's rationale names the starts it chose.
     */
    public SearchSpace withStarts(List<Architecture> architectures) {
        List<String> why = new ArrayList<>(rationale);
        why.add(
                architectures.isEmpty()
                        ? "no starting designs (set by the caller)"
                        : "starting designs set by the caller: "
                                + architectures.stream()
                                        .map(Architecture::describe)
                                        .collect(Collectors.joining("; ")));
        return new SearchSpace(
                layers,
                operators,
                operatorPrior,
                hidden,
                heads,
                activations,
                skip,
                dropouts,
                propagation,
                learningRates,
                weightDecays,
                propagationWeightDecay,
                selfTraining,
                consistency,
                maxEpochs,
                patience,
                checkpoint,
                architectures,
                why);
    }

    /**
     * This space with rounds of self-training for tuning to choose from, e.g. {@code List.of(0, 1)}; the
     * search's trials use the first. The derived spaces offer none (see docs/autognn.md).
     */
    public SearchSpace withSelfTraining(List<Integer> rounds) {
        return new SearchSpace(
                layers,
                operators,
                operatorPrior,
                hidden,
                heads,
                activations,
                skip,
                dropouts,
                propagation,
                learningRates,
                weightDecays,
                propagationWeightDecay,
                rounds,
                consistency,
                maxEpochs,
                patience,
                checkpoint,
                starts,
                rationale);
    }

    /**
     * This space with consistency regularisation of this weight in every trial (0 for none). The derived
     * spaces use 1 when labels are few (see docs/autognn.md).
     */
    public SearchSpace withConsistency(double weight) {
        return new SearchSpace(
                layers,
                operators,
                operatorPrior,
                hidden,
                heads,
                activations,
                skip,
                dropouts,
                propagation,
                learningRates,
                weightDecays,
                propagationWeightDecay,
                selfTraining,
                weight,
                maxEpochs,
                patience,
                checkpoint,
                starts,
                rationale);
    }

    /** This space with another per-trial epoch cap and patience. */
    public SearchSpace withEpochs(int maxEpochs, int patience) {
        return new SearchSpace(
                layers,
                operators,
                operatorPrior,
                hidden,
                heads,
                activations,
                skip,
                dropouts,
                propagation,
                learningRates,
                weightDecays,
                propagationWeightDecay,
                selfTraining,
                consistency,
                maxEpochs,
                patience,
                checkpoint,
                starts,
                rationale);
    }
}

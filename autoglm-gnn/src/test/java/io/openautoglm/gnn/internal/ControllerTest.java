package io.openautoglm.gnn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.Architecture.Operator;
import io.openautoglm.gnn.SearchSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ControllerTest {

    @Test
    void reinforceLearnsWhichOperatorPays() {
        SearchSpace space = SearchSpace.defaults();
        Controller c = Controller.reinforce(space, 3);
        int sageBefore = 0;
        int sageAfter = 0;
        for (int i = 0; i < 300; i++) {
            Architecture a = c.propose();
            long sage = a.operators().stream().filter(o -> o == Operator.SAGE).count();
            double reward = 0.5 + 0.1 * sage / a.layers();
            c.feedback(a, reward);
            if (i < 30) {
                sageBefore += a.operators().get(0) == Operator.SAGE ? 1 : 0;
            } else if (i >= 250) {
                sageAfter += a.operators().get(0) == Operator.SAGE ? 1 : 0;
            }
        }
        assertTrue(
                sageAfter > 5 * sageBefore / 3 + 10,
                "SAGE in first slot: " + sageBefore + " of the first 30, " + sageAfter + " of the last 50");
    }

    /**
     * A landscape where every option of every decision adds its own effect, observed with noise close to
     * what a 500-node validation set gives (0.015 against about 0.019): at a search's budget of 40 trials, the best observed
     * proposal of the controller should on average be truly better than random search's.
     */
    @Test
    void reinforceBeatsRandomSearchOnANoisyLandscapeAtASearchBudget() {
        SearchSpace space = SearchSpace.defaults();
        Random landscape = new Random(11);
        Map<String, Double> effect = new HashMap<>();
        List<Object> values = new ArrayList<>();
        for (List<?> decision : List.of(
                space.layers(),
                space.hidden(),
                space.heads(),
                space.activations(),
                space.skip(),
                space.dropouts(),
                space.propagation())) {
            values.addAll(decision);
        }
        for (int i = 0; i < values.size(); i++) {
            effect.put(i + ":" + values.get(i), 0.01 * landscape.nextGaussian());
        }
        for (int slot = 0; slot < 3; slot++) {
            for (Operator op : space.operators()) {
                effect.put("slot" + slot + ":" + op, 0.01 * landscape.nextGaussian());
            }
        }
        ToDoubleFunction<Architecture> truth = a -> {
            List<String> options = new ArrayList<>();
            List<Object> chosen =
                    List.of(a.layers(), a.hidden(), a.heads(), a.activation(), a.skip(), a.dropout(), a.propagation());
            int offset = 0;
            int d = 0;
            for (List<?> decision : List.of(
                    space.layers(),
                    space.hidden(),
                    space.heads(),
                    space.activations(),
                    space.skip(),
                    space.dropouts(),
                    space.propagation())) {
                options.add((offset + decision.indexOf(chosen.get(d))) + ":" + chosen.get(d));
                offset += decision.size();
                d++;
            }
            for (int i = 0; i < a.layers(); i++) {
                options.add("slot" + i + ":" + a.operators().get(i));
            }
            return 0.75 + options.stream().mapToDouble(effect::get).sum();
        };
        double reinforce = 0;
        double random = 0;
        int runs = 100;
        for (int seed = 0; seed < runs; seed++) {
            reinforce += bestFound(Controller.reinforce(space, seed), truth, new Random(1000 + seed));
            random += bestFound(Controller.random(space, seed), truth, new Random(1000 + seed));
        }
        reinforce /= runs;
        random /= runs;
        assertTrue(
                reinforce > random + 0.005,
                String.format(
                        Locale.ROOT,
                        "true value of the best observed: reinforce %.4f, random %.4f",
                        reinforce,
                        random));
    }

    private static double bestFound(Controller c, ToDoubleFunction<Architecture> truth, Random noise) {
        double bestObserved = Double.NEGATIVE_INFINITY;
        double bestTrue = 0;
        for (int i = 0; i < 40; i++) {
            Architecture a = c.propose();
            double observed = truth.applyAsDouble(a) + 0.015 * noise.nextGaussian();
            c.feedback(a, observed);
            if (observed > bestObserved) {
                bestObserved = observed;
                bestTrue = truth.applyAsDouble(a);
            }
        }
        return bestTrue;
    }

    @Test
    void priorShapesTheFirstProposals() {
        SearchSpace base = SearchSpace.defaults();
        SearchSpace skewed = new SearchSpace(
                base.layers(),
                base.operators(),
                Map.of(Operator.GCN, 12.0, Operator.GAT, 1.0, Operator.SAGE, 1.0, Operator.LINEAR, 1.0),
                base.hidden(),
                base.heads(),
                base.activations(),
                base.skip(),
                base.dropouts(),
                base.propagation(),
                base.learningRates(),
                base.weightDecays(),
                base.propagationWeightDecay(),
                base.selfTraining(),
                base.consistency(),
                base.maxEpochs(),
                base.patience(),
                base.checkpoint(),
                base.starts(),
                base.rationale());
        Controller c = Controller.reinforce(skewed, 1);
        int gcn = 0;
        for (int i = 0; i < 200; i++) {
            gcn += c.propose().operators().get(0) == Operator.GCN ? 1 : 0;
        }
        assertTrue(gcn > 130, "GCN proposed " + gcn + " of 200 times with prior 0.8");
        assertTrue(gcn < 190, "GCN proposed " + gcn + " of 200 times with prior 0.8");
    }

    @Test
    void adoptedStartsTeachTheController() {
        SearchSpace space = SearchSpace.defaults();
        Controller.Reinforce c = (Controller.Reinforce) Controller.reinforce(space, 4);
        Architecture dagnn = Architecture.dagnnBaseline();
        assertTrue(c.adopt(dagnn));
        assertFalse(
                c.adopt(Architecture.of(List.of(Operator.GCN), 7, 1, Architecture.Activation.RELU, false, 0.5)),
                "width 7 is outside the space");
        int linear = space.operators().indexOf(Operator.LINEAR);
        double before = c.policy()[Controller.OP0][linear];
        c.feedback(Architecture.gcnBaseline(), 0.70); // not adopted: ignored
        c.feedback(dagnn, 0.70); // first reward sets the baseline
        c.feedback(dagnn, 0.90);
        assertTrue(c.policy()[Controller.OP0][linear] > before, "a good start raises its operator's probability");
    }

    @Test
    void proposalsStayInsideTheSpaceAndAreSeeded() {
        SearchSpace space = SearchSpace.defaults();
        Controller a = Controller.random(space, 9);
        Controller b = Controller.random(space, 9);
        for (int i = 0; i < 50; i++) {
            Architecture x = a.propose();
            assertEquals(x, b.propose());
            assertTrue(space.layers().contains(x.layers()));
            assertTrue(space.hidden().contains(x.hidden()));
            assertTrue(space.dropouts().contains(x.dropout()));
            assertTrue(space.propagation().contains(x.propagation()));
            assertTrue(x.operators().contains(Operator.GAT) ? space.heads().contains(x.heads()) : x.heads() == 1);
        }
    }
}

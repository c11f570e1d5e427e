package io.openautoglm.gnn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.Architecture.Operator;
import io.openautoglm.gnn.SearchSpace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerTest {

  @Test
  void reinforceLearnsWhichOperatorPays() {
    SearchSpace space = SearchSpace.defaults();
    Controller c = Controller.reinforce(space, 3);
    int sageBefore = 0;
    int sageAfter = 0;
    for (int i = 0; i < 300; i++) {
      Controller.Proposal p = c.propose();
      Architecture a = p.architecture();
      long sage = a.operators().stream().filter(o -> o == Operator.SAGE).count();
      double reward = 0.5 + 0.1 * sage / a.layers();
      c.feedback(p, reward);
      if (i < 30) {
        sageBefore += a.operators().get(0) == Operator.SAGE ? 1 : 0;
      } else if (i >= 250) {
        sageAfter += a.operators().get(0) == Operator.SAGE ? 1 : 0;
      }
    }
    assertTrue(sageAfter > 5 * sageBefore / 3 + 10, "SAGE in first slot: " + sageBefore + " of the first 30, " + sageAfter + " of the last 50");
  }

  @Test
  void reinforceLearnsOneWeightDecayForPropagatedModelsAndAnotherForTheRest() {
    SearchSpace space = SearchSpace.defaults();
    Controller.Reinforce c = (Controller.Reinforce) Controller.reinforce(space, 5);
    // decoupled models pay for strong decay, message-passing ones for weak decay
    for (int i = 0; i < 400; i++) {
      Controller.Proposal p = c.propose();
      boolean propagated = p.architecture().propagation() > 0;
      double reward = 0.5 + 0.1 * (propagated ? p.weightDecay() / 2e-2 : 1 - p.weightDecay() / 2e-2);
      c.feedback(p, reward);
    }
    double[] plain = c.policy()[Controller.WEIGHT_DECAY];
    double[] propagated = c.policy()[Controller.WEIGHT_DECAY_PROPAGATED];
    int strongest = space.weightDecays().indexOf(2e-2);
    int none = space.weightDecays().indexOf(0.0);
    assertTrue(propagated[strongest] > propagated[none], "propagated: " + java.util.Arrays.toString(propagated));
    assertTrue(plain[none] > plain[strongest], "plain: " + java.util.Arrays.toString(plain));
  }

  @Test
  void priorShapesTheFirstProposals() {
    SearchSpace base = SearchSpace.defaults();
    SearchSpace skewed = new SearchSpace(base.layers(), base.operators(),
        Map.of(Operator.GCN, 12.0, Operator.GAT, 1.0, Operator.SAGE, 1.0, Operator.LINEAR, 1.0), base.hidden(),
        base.heads(), base.activations(), base.skip(), base.dropouts(), base.propagation(), base.learningRates(),
        base.weightDecays(), base.maxEpochs(), base.patience(), base.checkpoint(), base.starts(), base.rationale());
    Controller c = Controller.reinforce(skewed, 1);
    int gcn = 0;
    for (int i = 0; i < 200; i++) {
      gcn += c.propose().architecture().operators().get(0) == Operator.GCN ? 1 : 0;
    }
    assertTrue(gcn > 130, "GCN proposed " + gcn + " of 200 times with prior 0.8");
    assertTrue(gcn < 190, "GCN proposed " + gcn + " of 200 times with prior 0.8");
  }

  @Test
  void adoptedStartsTeachTheController() {
    SearchSpace space = SearchSpace.defaults();
    Controller.Reinforce c = (Controller.Reinforce) Controller.reinforce(space, 4);
    Controller.Proposal dagnn = new Controller.Proposal(Architecture.dagnnBaseline(), 5e-3);
    assertTrue(c.adopt(dagnn));
    assertFalse(c.adopt(new Controller.Proposal(
            Architecture.of(List.of(Operator.GCN), 7, 1, Architecture.Activation.RELU, false, 0.5), 5e-4)),
        "width 7 is outside the space");
    assertFalse(c.adopt(new Controller.Proposal(Architecture.gcnBaseline(), 3e-4)), "weight decay 3e-4 is outside the space");
    int linear = space.operators().indexOf(Operator.LINEAR);
    int wd = space.weightDecays().indexOf(5e-3);
    double before = c.policy()[Controller.OP0][linear];
    double wdBefore = c.policy()[Controller.WEIGHT_DECAY_PROPAGATED][wd];
    double plainBefore = c.policy()[Controller.WEIGHT_DECAY][wd];
    c.feedback(new Controller.Proposal(Architecture.gcnBaseline(), 5e-4), 0.70);  // not adopted: ignored
    c.feedback(dagnn, 0.70);  // first reward sets the baseline
    c.feedback(dagnn, 0.90);
    assertTrue(c.policy()[Controller.OP0][linear] > before, "a good start raises its operator's probability");
    assertTrue(c.policy()[Controller.WEIGHT_DECAY_PROPAGATED][wd] > wdBefore, "and its weight decay's");
    assertEquals(plainBefore, c.policy()[Controller.WEIGHT_DECAY][wd], 1e-12,
        "the weight decay of models without propagation did not take part");
  }

  @Test
  void proposalsStayInsideTheSpaceAndAreSeeded() {
    SearchSpace space = SearchSpace.defaults();
    Controller a = Controller.random(space, 9);
    Controller b = Controller.random(space, 9);
    for (int i = 0; i < 50; i++) {
      Controller.Proposal p = a.propose();
      assertEquals(p, b.propose());
      Architecture x = p.architecture();
      assertTrue(space.layers().contains(x.layers()));
      assertTrue(space.hidden().contains(x.hidden()));
      assertTrue(space.dropouts().contains(x.dropout()));
      assertTrue(space.propagation().contains(x.propagation()));
      assertTrue(space.weightDecays().contains(p.weightDecay()));
      assertTrue(x.operators().contains(Operator.GAT) ? space.heads().contains(x.heads()) : x.heads() == 1);
    }
  }
}

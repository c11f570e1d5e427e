package io.openautoglm.gnn.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with L2 weight decay added to the gradient (PyTorch's {@code Adam(weight_decay=...)}), which is
 * what the GCN and GAT reference code use. Hand-written rather than DJL's optimiser so that its state
 * lives outside the per-step {@link NDScope} and updates happen in place after the gradient collector
 * has closed. Zeroes the gradients after each step because a collector does not.
 */
final class Adam {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;
    private final List<NDArray> params;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final float lr;
    private final float wd;
    private int t;

    Adam(NDManager manager, List<NDArray> params, double lr, double wd) {
        this.params = params;
        this.lr = (float) lr;
        this.wd = (float) wd;
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape()));
            v.add(manager.zeros(p.getShape()));
        }
    }

    void step() {
        t++;
        float c1 = (float) (1 - Math.pow(BETA1, t));
        float c2 = (float) (1 - Math.pow(BETA2, t));
        float stepSize = (float) (lr * Math.sqrt(c2) / c1);
        try (NDScope scope = new NDScope()) {
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                NDArray g = p.getGradient();
                NDArray grad = wd > 0 ? g.add(p.mul(wd)) : g;
                m.get(i).muli(BETA1).addi(grad.mul(1 - BETA1));
                v.get(i).muli(BETA2).addi(grad.square().muli(1 - BETA2));
                // same as lr · m̂ / (sqrt(v̂) + eps) up to where eps enters, as in torch's implementation
                p.subi(m.get(i).mul(stepSize).divi(v.get(i).sqrt().addi(EPS * (float) Math.sqrt(c2))));
                g.muli(0f);
            }
            scope.suppressNotUsedWarning();
        }
    }
}

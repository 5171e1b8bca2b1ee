package io.afd.core.train;

import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client keeps between rounds for DGC: the momentum u and the unsent velocity residual v,
 * both in <b>global</b> coordinates, so that they survive a change of sub-model (Multi-Model AFD
 * changes it often). Coordinates outside the current sub-model are neither read nor changed.
 */
public final class ClientOptimizerState {
    private final ModelSpec global;
    private final Map<String, float[]> momentum = new LinkedHashMap<>();
    private final Map<String, float[]> residual = new LinkedHashMap<>();

    public ClientOptimizerState(ModelSpec global) {
        this.global = global;
        for (ParamSpec p : global.params()) {
            momentum.put(p.name(), new float[p.size()]);
            residual.put(p.name(), new float[p.size()]);
        }
    }

    public ModelSpec global() {
        return global;
    }

    /** Momentum buffer u of a tensor (live array, global coordinates). */
    public float[] momentum(String tensor) {
        return require(momentum, tensor);
    }

    /** Unsent accumulated velocity v of a tensor (live array, global coordinates). */
    public float[] residual(String tensor) {
        return require(residual, tensor);
    }

    /** L2 norm of the whole residual. */
    public double residualNorm() {
        double s = 0;
        for (float[] r : residual.values()) {
            for (float x : r) {
                s += (double) x * x;
            }
        }
        return Math.sqrt(s);
    }

    private static float[] require(Map<String, float[]> m, String tensor) {
        float[] a = m.get(tensor);
        if (a == null) {
            throw new IllegalArgumentException("no tensor " + tensor);
        }
        return a;
    }
}

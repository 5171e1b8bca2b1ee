package io.afd.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RngTest {
    /** Relative tolerance on the sample mean of 200 000 Gamma draws (about 5 standard errors at alpha 0.3). */
    static final double GAMMA_MEAN_REL_TOL = 0.02;
    /** Relative tolerance on the sample variance (more than 10 standard errors at both shapes). */
    static final double GAMMA_VAR_REL_TOL = 0.05;

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 5.0})
    void gammaMeanAndVarianceMatchShape(double shape) {
        Rng rng = new Rng(12345);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGamma(shape);
            assertTrue(g >= 0 && Double.isFinite(g));
            sum += g;
            sumSq += g * g;
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        // Gamma(shape, scale 1): mean = variance = shape.
        assertEquals(shape, mean, GAMMA_MEAN_REL_TOL * shape, "mean of Gamma(" + shape + ")");
        assertEquals(shape, var, GAMMA_VAR_REL_TOL * shape, "variance of Gamma(" + shape + ")");
    }

    @Test
    void gaussianMoments() {
        Rng rng = new Rng(7);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian(2.0, 3.0);
            sum += g;
            sumSq += g * g;
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        assertEquals(2.0, mean, 0.03);
        assertEquals(9.0, var, 0.15);
    }

    @Test
    void dirichletIsOnSimplexWithRightMeanEvenForTinyAlpha() {
        Rng rng = new Rng(3);
        double[] a = {0.5, 1.0, 2.5};
        double[] mean = new double[3];
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            double[] p = rng.nextDirichlet(a);
            double s = 0;
            for (int k = 0; k < 3; k++) {
                assertTrue(p[k] >= 0);
                s += p[k];
                mean[k] += p[k] / n;
            }
            assertEquals(1.0, s, 1e-12);
        }
        assertEquals(0.125, mean[0], 0.005);
        assertEquals(0.25, mean[1], 0.005);
        assertEquals(0.625, mean[2], 0.005);
        for (int i = 0; i < 1000; i++) {
            double[] p = rng.nextDirichlet(0.001, 20);
            double s = 0;
            for (double v : p) {
                assertTrue(Double.isFinite(v));
                s += v;
            }
            assertEquals(1.0, s, 1e-9);
        }
    }

    @Test
    void sameSeedSameStream() {
        Rng a = new Rng(99);
        Rng b = new Rng(99);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextGaussian(), b.nextGaussian());
            assertEquals(a.nextGamma(0.7), b.nextGamma(0.7));
        }
        assertThrows(IllegalArgumentException.class, () -> a.nextGamma(0));
    }
}

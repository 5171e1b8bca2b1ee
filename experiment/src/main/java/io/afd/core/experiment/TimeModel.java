package io.afd.core.experiment;

import io.afd.core.model.ModelSpec;
import io.afd.core.sim.RoundMetrics;
import io.afd.core.submodel.Selection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Modelled wall-clock time of federated training over a network (ADR 0006).
 *
 * <p><b>Per round.</b> Round {@code t} with sampled clients {@code K_t} takes
 * <pre>
 *   T_t = max_{k in K_t} ( down_k / B_down + c_k + up_k / B_up ) + L
 * </pre>
 * where {@code down_k}, {@code up_k} are the encoded payload sizes in bits, {@code B_down}, {@code B_up}
 * the profile's bandwidths in bit/s, {@code c_k} client {@code k}'s local compute time and {@code L}
 * the profile's fixed per-round latency. The server's aggregation time is not modelled.
 *
 * <p><b>Approximation of the max.</b> The simulator records the <i>mean</i> payload per client
 * ({@link RoundMetrics#bytesDownPerClient()}, {@link RoundMetrics#bytesUpPerClient()}) and the
 * <i>slowest</i> client's compute time ({@link RoundMetrics#computeMillisMax()}). The model uses
 * {@code mean down / B_down + max c + mean up / B_up}. This is exact when all clients of a round
 * receive and send payloads of the same size, which holds for dense float32 and q8 payloads of
 * equal-width sub-models (every policy here drops the same number of units per client) and nearly
 * holds for DGC uploads (same number of values, only the varint index gaps differ by a few bytes).
 *
 * <p><b>Compute time</b> ({@link ComputeMode}):
 * <ul>
 *   <li>{@code reference} (default): {@code c = C_ref(setting) * F(sub-model) / F(full model) * s},
 *       where {@code F} is {@link ModelSpec#forwardMacsPerSample()} (backward is about twice the
 *       forward for every width, so the ratio of forward MACs is the ratio of training FLOPs),
 *       the sub-model keeps {@link Selection#keepCount(int, double)} units of every droppable
 *       layer, {@code s} is the profile's {@link BandwidthProfile#computeScale()}, and
 *       {@code C_ref(setting)} is the median, over every round of the setting's reference runs
 *       (FedAvg without compression; all runs of the setting if there are none), of the measured
 *       slowest-client time divided by that run's own FLOPs ratio. One robust number per setting
 *       removes the run-to-run noise of timing on a shared machine (2-6x between identical runs) while
 *       keeping the FLOPs saving of dropout; it ignores round-to-round variation in which client is
 *       slowest and DGC's own top-k cost (milliseconds).</li>
 *   <li>{@code measured}: {@code c = computeMillisMax * s} of the run's own round: each run's own
 *       measured wall time, noisy but with no FLOPs assumption.</li>
 * </ul>
 *
 * <p>Units: 1 Mbit/s = 10^6 bit/s; 1 byte = 8 bits. So 1,000,000 bytes at 1 Mbit/s take 8 s.
 */
public final class TimeModel {

    /** Where a round's compute time comes from. */
    public enum ComputeMode {
        REFERENCE,
        MEASURED;

        public static ComputeMode parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "reference" -> REFERENCE;
                case "measured" -> MEASURED;
                default -> throw new IllegalArgumentException("unknown compute mode '" + s + "' (reference, measured)");
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private TimeModel() {}

    /** Seconds to move {@code bytes} at {@code mbps} Mbit/s. */
    public static double transferSeconds(double bytes, double mbps) {
        return bytes * 8.0 / (mbps * 1e6);
    }

    /**
     * One round's modelled time in seconds: download + compute + upload + latency.
     *
     * @param computeSeconds the slowest client's compute time on the simulation machine (before
     *                       the profile's {@code computeScale})
     */
    public static double roundSeconds(BandwidthProfile p, double bytesDown, double bytesUp, double computeSeconds) {
        return transferSeconds(bytesDown, p.downMbps())
                + computeSeconds * p.computeScale()
                + transferSeconds(bytesUp, p.upMbps())
                + p.latencyMs() / 1000.0;
    }

    /** The widths of the sub-model every dropout policy trains at {@code dropoutRate}. */
    public static ModelSpec subModel(ModelSpec full, double dropoutRate) {
        if (dropoutRate <= 0) {
            return full;
        }
        Map<String, Integer> w = new LinkedHashMap<>();
        full.widths().forEach((layer, units) -> w.put(layer, Selection.keepCount(units, dropoutRate)));
        return full.withWidths(w);
    }

    /** Training FLOPs of the sub-model at {@code dropoutRate} relative to the full model (1 at rate 0). */
    public static double flopsRatio(ModelSpec full, double dropoutRate) {
        return (double) subModel(full, dropoutRate).forwardMacsPerSample() / full.forwardMacsPerSample();
    }

    /**
     * {@code C_ref}: the median over all given rounds of {@code computeMillisMax / ratio}, in seconds.
     *
     * @param runs   the reference runs' rounds
     * @param ratios each run's FLOPs ratio ({@link #flopsRatio})
     */
    public static double referenceComputeSeconds(List<List<RoundMetrics>> runs, double[] ratios) {
        int n = 0;
        for (List<RoundMetrics> r : runs) {
            n += r.size();
        }
        if (n == 0) {
            return 0;
        }
        double[] v = new double[n];
        int i = 0;
        for (int j = 0; j < runs.size(); j++) {
            for (RoundMetrics m : runs.get(j)) {
                v[i++] = m.computeMillisMax() / 1000.0 / ratios[j];
            }
        }
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * Cumulative modelled seconds at the end of each round.
     *
     * @param computeSeconds a round index to that round's compute seconds (before {@code computeScale})
     */
    public static double[] cumulativeSeconds(
            List<RoundMetrics> rounds, BandwidthProfile p, IntToDoubleFunction computeSeconds) {
        double[] out = new double[rounds.size()];
        double t = 0;
        for (int i = 0; i < out.length; i++) {
            RoundMetrics m = rounds.get(i);
            t += roundSeconds(p, m.bytesDownPerClient(), m.bytesUpPerClient(), computeSeconds.applyAsDouble(i));
            out[i] = t;
        }
        return out;
    }

    /** Cumulative bytes moved per client (download + upload) at the end of each round. */
    public static double[] cumulativeBytes(List<RoundMetrics> rounds) {
        double[] out = new double[rounds.size()];
        double b = 0;
        for (int i = 0; i < out.length; i++) {
            b += rounds.get(i).bytesDownPerClient() + rounds.get(i).bytesUpPerClient();
            out[i] = b;
        }
        return out;
    }
}

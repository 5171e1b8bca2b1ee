package io.afd.core.experiment;

import java.util.List;

/**
 * A client's network and device, for the {@link TimeModel}.
 *
 * @param name         profile name, e.g. {@code slow-mobile}
 * @param downMbps     download bandwidth in Mbit/s (10^6 bits per second)
 * @param upMbps       upload bandwidth in Mbit/s
 * @param latencyMs    fixed per-round overhead in milliseconds (round-trip latency, connection set-up)
 * @param computeScale multiplier on the compute time measured on the simulation machine
 *                     (1 = the device computes as fast as this machine; 10 = ten times slower)
 */
public record BandwidthProfile(String name, double downMbps, double upMbps, double latencyMs, double computeScale) {

    /**
     * Assumed slow mobile link: 1 Mbit/s down, 0.25 Mbit/s up, 100 ms. An assumption (a congested
     * or cell-edge 3G/LTE link with the usual 4:1 down/up asymmetry), not a measurement.
     */
    public static final BandwidthProfile SLOW_MOBILE = new BandwidthProfile("slow-mobile", 1, 0.25, 100, 1);
    /** Assumed home broadband: 50 Mbit/s down, 10 Mbit/s up, 20 ms. An assumption, not a measurement. */
    public static final BandwidthProfile BROADBAND = new BandwidthProfile("broadband", 50, 10, 20, 1);

    public static final List<BandwidthProfile> DEFAULTS = List.of(SLOW_MOBILE, BROADBAND);

    public BandwidthProfile {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "profile name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        check(downMbps > 0 && Double.isFinite(downMbps), name + ".downMbps must be > 0, got " + downMbps);
        check(upMbps > 0 && Double.isFinite(upMbps), name + ".upMbps must be > 0, got " + upMbps);
        check(latencyMs >= 0 && Double.isFinite(latencyMs), name + ".latencyMs must be >= 0, got " + latencyMs);
        check(
                computeScale >= 0 && Double.isFinite(computeScale),
                name + ".computeScale must be >= 0, got " + computeScale);
    }

    private static void check(boolean ok, String msg) {
        if (!ok) {
            throw new IllegalArgumentException(msg);
        }
    }
}

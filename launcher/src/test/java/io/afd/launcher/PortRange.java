package io.afd.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Random;

/** A run of free TCP ports for a suite under test: its API ports, management ports (+10) and Kafka port (+19). */
final class PortRange {
    private PortRange() {}

    /** The first of {@code span} consecutive ports that were all free a moment ago. */
    static int freeBase(int span) {
        Random r = new Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + r.nextInt(30_000);
            boolean ok = true;
            for (int p = base; p < base + span && ok; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    ok = false;
                }
            }
            if (ok) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of " + span + " ports");
    }
}

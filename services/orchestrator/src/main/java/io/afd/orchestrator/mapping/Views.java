package io.afd.orchestrator.mapping;

import io.afd.orchestrator.EdgeClient;
import io.afd.orchestrator.Experiment;
import io.afd.orchestrator.RoundRecord;
import java.time.OffsetDateTime;
import java.util.List;

/** API views of the orchestrator's entities (entities never leave the service). */
public final class Views {
    private Views() {}

    /** An experiment as the management API shows it. */
    public record ExperimentView(
            String id,
            String name,
            String status,
            int currentRound,
            int roundsDone,
            Integer modelVersion,
            Double lastAccuracy,
            Double bestAccuracy,
            int roundTimeoutSeconds,
            double quorum,
            String error,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
        public static ExperimentView of(Experiment e) {
            return new ExperimentView(
                    e.id,
                    e.name,
                    e.status.name(),
                    e.currentRound,
                    e.roundsDone,
                    e.modelVersion,
                    e.lastAccuracy,
                    e.bestAccuracy,
                    e.roundTimeoutSeconds,
                    e.quorum,
                    e.error,
                    e.createdAt,
                    e.updatedAt);
        }
    }

    /** One round's state and metrics. */
    public record RoundView(
            int round,
            String state,
            List<String> participants,
            Integer baseVersion,
            Integer modelVersion,
            Integer received,
            Integer rejected,
            Double testAccuracy,
            Double testLoss,
            Double trainLoss,
            Long bytesDown,
            Long bytesUp,
            OffsetDateTime startedAt,
            OffsetDateTime finishedAt) {
        public static RoundView of(RoundRecord r) {
            return new RoundView(
                    r.round,
                    r.state.name(),
                    r.participantList(),
                    r.baseVersion,
                    r.modelVersion,
                    r.received,
                    r.rejected,
                    r.testAccuracy,
                    r.testLoss,
                    r.trainLoss,
                    r.bytesDown,
                    r.bytesUp,
                    r.startedAt,
                    r.finishedAt);
        }
    }

    /** A client without its secret. */
    public record ClientView(
            String id, int numSamples, boolean available, OffsetDateTime registeredAt, OffsetDateTime lastSeen) {
        public static ClientView of(EdgeClient c) {
            return new ClientView(c.id, c.numSamples, c.available, c.registeredAt, c.lastSeen);
        }
    }

    /** Returned once at registration: the client's id and secret. */
    public record Registered(String id, String secret) {}

    /** Body of experiment creation. */
    public record CreateExperiment(String id, String config, Integer roundTimeoutSeconds, Double quorum) {}

    /** Body of client registration. */
    public record RegisterClient(String id, int numSamples) {}

    /** Body of an availability change. */
    public record Availability(boolean available) {}
}

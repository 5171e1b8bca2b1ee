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
            String step,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
        public static ExperimentView of(Experiment e) {
            return of(e, null);
        }

        /**
         * @param step what the round driver last did or waits for while the experiment runs ("waiting for clients: 0
         *             available, 3 needed", "collecting 2/3", a failing step with its error), null otherwise
         */
        public static ExperimentView of(Experiment e, String step) {
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
                    e.status == Experiment.Status.RUNNING ? step : null,
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

    /** A client (its keys are listed at {@code /api/clients/{id}/keys}). */
    public record ClientView(
            String id, int numSamples, boolean available, OffsetDateTime registeredAt, OffsetDateTime lastSeen) {
        public static ClientView of(EdgeClient c) {
            return new ClientView(c.id, c.numSamples, c.available, c.registeredAt, c.lastSeen);
        }
    }

    /**
     * Returned at registration and for a new enrolment token: the client's id and its one-time token, shown once
     * (the server keeps its SHA-256 only), valid until {@code enrolmentExpiresAt}.
     */
    public record Registered(String id, String enrolmentToken, OffsetDateTime enrolmentExpiresAt) {
        public static Registered of(io.afd.orchestrator.service.ClientService.Issued i) {
            return new Registered(i.client().id, i.token(), i.client().enrolmentExpiresAt);
        }
    }

    /** Body of an enrolment: the client's public key with its proof of possession ({@code io.afd.protocol.Enrolment}). */
    public record EnrolRequest(String clientId, String enrolmentToken, String publicKey, String proof) {}

    /** A public key (the services' or a client's). */
    public record PublicKeyView(String keyId, String publicKey) {}

    /**
     * The answer to an enrolment: the key id, the services' keys its tasks are signed with, and the client's Kafka
     * access (its password is shown this once).
     */
    public record Enrolled(
            String clientId,
            String keyId,
            int numSamples,
            List<PublicKeyView> serverKeys,
            io.afd.orchestrator.service.KafkaProvisioner.EdgeKafka kafka) {}

    /** One of a client's keys. */
    public record KeyView(String keyId, String publicKey, OffsetDateTime enrolledAt, OffsetDateTime revokedAt) {
        public static KeyView of(io.afd.orchestrator.ClientKey k) {
            return new KeyView(k.keyId, k.publicKey, k.enrolledAt, k.revokedAt);
        }
    }

    /** The answer to a revocation. */
    public record RevokedView(KeyView key, boolean aggregatorNotified, boolean kafkaLoginRemoved) {}

    /** Body of experiment creation. */
    public record CreateExperiment(String id, String config, Integer roundTimeoutSeconds, Double quorum) {}

    /** Body of client registration. */
    public record RegisterClient(String id, int numSamples) {}

    /** Body of an availability change. */
    public record Availability(boolean available) {}
}

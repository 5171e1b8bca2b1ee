package io.afd.aggregator.service;

/**
 * A dependency (database, Kafka, orchestrator) failed while a record was being processed. Not the
 * record's fault: it is retried, never rejected.
 */
public class TransientFailure extends RuntimeException {
    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

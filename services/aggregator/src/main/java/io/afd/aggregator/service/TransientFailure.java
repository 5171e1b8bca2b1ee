package io.afd.aggregator.service;

import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.core.Response;

/**
 * A dependency (database, Kafka, orchestrator) failed while a record was being processed. Not the
 * record's fault: it is retried, never rejected. Should one reach the REST layer it is a 503
 * ({@code unavailable}): every operation is idempotent, so the caller can retry.
 */
public class TransientFailure extends ServerErrorException {
    public TransientFailure(String message, Throwable cause) {
        super(message, Response.Status.SERVICE_UNAVAILABLE, cause);
    }
}

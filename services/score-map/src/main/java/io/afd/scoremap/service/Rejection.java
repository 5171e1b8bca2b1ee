package io.afd.scoremap.service;

import io.afd.services.common.rest.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * A refused request: an HTTP status for the REST API and a reason code (docs/protocol.md §8 style,
 * lowercase snake_case), which is the {@code "error"} of the REST error body and the dead letter's reason
 * when the request came from {@code afd.rounds}.
 */
public class Rejection extends WebApplicationException implements ErrorCode {
    /** Malformed request: bad policy, dropout, clients, losses, ... */
    public static final String INVALID_REQUEST = "invalid_request";
    /** No such experiment here (no selection was ever requested for it). */
    public static final String UNKNOWN_EXPERIMENT = io.afd.protocol.DeadLetter.UNKNOWN_EXPERIMENT;
    /** The round has no stored selections. */
    public static final String UNKNOWN_ROUND = "unknown_round";
    /** Results name a client that had no selection in the round. */
    public static final String NOT_SELECTED = io.afd.protocol.DeadLetter.NOT_SELECTED;
    /** The request contradicts stored state (other settings, other clients, results pending). */
    public static final String CONFLICT = "conflict";
    /** Something stored is not found. */
    public static final String NOT_FOUND = "not_found";

    private final String reason;

    public Rejection(Response.Status status, String reason, String message) {
        super(message, status);
        this.reason = reason;
    }

    public static Rejection badRequest(String message) {
        return new Rejection(Response.Status.BAD_REQUEST, INVALID_REQUEST, message);
    }

    public static Rejection notFound(String reason, String message) {
        return new Rejection(Response.Status.NOT_FOUND, reason, message);
    }

    public static Rejection conflict(String message) {
        return new Rejection(Response.Status.CONFLICT, CONFLICT, message);
    }

    /** Reason code. */
    public String reason() {
        return reason;
    }

    /** The reason code, as the error body's {@code "error"}. */
    @Override
    public String errorCode() {
        return reason;
    }
}

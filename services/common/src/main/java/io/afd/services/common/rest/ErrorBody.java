package io.afd.services.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * The one error body of every service: {@code {"status": 404, "error": "not_found", "reason": "no client x"}}.
 *
 * @param status the HTTP status, repeated in the body
 * @param error  a short machine code, lowercase snake_case: the exception's own ({@link ErrorCode}) or the
 *               status's ({@link #codeOf(int)})
 * @param reason a sentence for people saying what is wrong (for a body that does not bind: where and why)
 */
public record ErrorBody(int status, String error, String reason) {
    /** Code of a 400: the request is malformed (bad id, bad field, body not JSON). */
    public static final String INVALID_REQUEST = "invalid_request";

    /** The body for an exception (see {@link ErrorMapper}, {@link JsonErrorMapper}, {@link ValidationErrorMapper}). */
    public static ErrorBody of(Throwable e) {
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse() == null ? 500 : w.getResponse().getStatus();
            String reason = w.getCause() instanceof JsonProcessingException j ? describe(j) : message(w);
            return new ErrorBody(status, e instanceof ErrorCode c ? c.errorCode() : codeOf(status), reason);
        }
        if (e instanceof JsonProcessingException j) {
            return new ErrorBody(400, INVALID_REQUEST, describe(j));
        }
        return new ErrorBody(400, e instanceof ErrorCode c ? c.errorCode() : INVALID_REQUEST, message(e));
    }

    /** This body as a JSON response with its status. */
    public Response toResponse() {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(this)
                .build();
    }

    /**
     * The code of a status: {@code invalid_request} (400), {@code not_found} (404), {@code conflict} (409),
     * {@code too_large} (413), {@code internal_error} (500), {@code bad_gateway} (502), {@code unavailable}
     * (503); any other status its reason phrase in snake_case ({@code 405 -> method_not_allowed}).
     */
    public static String codeOf(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 500 -> "internal_error";
            case 502 -> "bad_gateway";
            case 503 -> "unavailable";
            default -> {
                Response.Status s = Response.Status.fromStatusCode(status);
                yield s == null
                        ? "http_" + status
                        : s.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
            }
        };
    }

    /**
     * What is wrong with a JSON body, naming the JSON path when there is one and the protocol record's own
     * check when that refused a value: {@code invalid JSON body at results[0]: trainLoss must be finite and
     * >= 0, got NaN}.
     */
    public static String describe(JsonProcessingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root != e && root.getMessage() != null ? root.getMessage() : e.getOriginalMessage();
        StringBuilder path = new StringBuilder();
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
        }
        return "invalid JSON body" + (path.isEmpty() ? "" : " at " + path) + ": " + what;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? "" : e.getMessage();
    }
}

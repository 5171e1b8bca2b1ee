package io.afd.services.common.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one error body: status, code and reason for each kind of failure the mappers see. */
class ErrorBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service exception with its own code, like score-map's Rejection. */
    static final class Coded extends ClientErrorException implements ErrorCode {
        Coded(String message) {
            super(message, Response.Status.NOT_FOUND);
        }

        @Override
        public String errorCode() {
            return "unknown_round";
        }
    }

    /** A body type whose constructor checks its value, like the protocol records. */
    record Loss(double trainLoss) {
        Loss {
            if (!(trainLoss >= 0)) {
                throw new IllegalArgumentException("trainLoss must be finite and >= 0, got " + trainLoss);
            }
        }
    }

    record Results(List<Loss> results) {}

    @Test
    void webApplicationExceptionsKeepTheirStatusAndGetItsCode() {
        assertEquals(
                new ErrorBody(404, "not_found", "no client x"), ErrorBody.of(new NotFoundException("no client x")));
        assertEquals(
                new ErrorBody(400, "invalid_request", "round must be >= 0, got -1"),
                ErrorBody.of(new BadRequestException("round must be >= 0, got -1")));
        assertEquals(
                new ErrorBody(409, "conflict", "exists"),
                ErrorBody.of(new ClientErrorException("exists", Response.Status.CONFLICT)));
    }

    @Test
    void anExceptionsOwnCodeWins() {
        assertEquals(
                new ErrorBody(404, "unknown_round", "no selections for round 4"),
                ErrorBody.of(new Coded("no selections for round 4")));
    }

    @Test
    void illegalArgumentsAreBadRequests() {
        assertEquals(
                new ErrorBody(400, "invalid_request", "experiment id must match x, got 'a b'"),
                ErrorBody.of(new IllegalArgumentException("experiment id must match x, got 'a b'")));
    }

    @Test
    void jsonErrorsNameThePathAndTheRecordsOwnCheck() {
        JsonProcessingException e = bindFails("{\"results\": [{\"trainLoss\": 1}, {\"trainLoss\": -0.5}]}");
        ErrorBody b = ErrorBody.of(e);
        assertEquals(400, b.status());
        assertEquals("invalid_request", b.error());
        assertEquals("invalid JSON body at results[1]: trainLoss must be finite and >= 0, got -0.5", b.reason());
        // the same when the framework wraps it in a 400
        assertEquals(b, ErrorBody.of(new BadRequestException(e)));
        assertEquals(b.reason(), ErrorBody.describe(e));
    }

    @Test
    void syntaxErrorsSayWhatIsWrong() {
        ErrorBody b = ErrorBody.of(bindFails("{not json"));
        assertEquals("invalid_request", b.error());
        assertEquals(true, b.reason().startsWith("invalid JSON body: Unexpected character"), b.reason());
    }

    @Test
    void everyStatusHasACode() {
        assertEquals("invalid_request", ErrorBody.codeOf(400));
        assertEquals("not_found", ErrorBody.codeOf(404));
        assertEquals("method_not_allowed", ErrorBody.codeOf(405));
        assertEquals("conflict", ErrorBody.codeOf(409));
        assertEquals("too_large", ErrorBody.codeOf(413));
        assertEquals("unsupported_media_type", ErrorBody.codeOf(415));
        assertEquals("internal_error", ErrorBody.codeOf(500));
        assertEquals("bad_gateway", ErrorBody.codeOf(502));
        assertEquals("unavailable", ErrorBody.codeOf(503));
        assertEquals("http_599", ErrorBody.codeOf(599));
    }

    @Test
    void theBodyIsStatusErrorReason() throws Exception {
        assertEquals(
                "{\"status\":404,\"error\":\"not_found\",\"reason\":\"no client x\"}",
                JSON.writeValueAsString(new ErrorBody(404, "not_found", "no client x")));
    }

    private static JsonProcessingException bindFails(String json) {
        try {
            JSON.readValue(json, Results.class);
        } catch (JsonProcessingException e) {
            return e;
        }
        throw new AssertionError("bound: " + json);
    }
}

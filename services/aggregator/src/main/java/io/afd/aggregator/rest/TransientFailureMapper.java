package io.afd.aggregator.rest;

import io.afd.aggregator.service.TransientFailure;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** A dependency (database, Kafka) failed: 503, safe to retry (every operation is idempotent). */
@Provider
public class TransientFailureMapper implements ExceptionMapper<TransientFailure> {
    @Override
    public Response toResponse(TransientFailure e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 503, "error", String.valueOf(e.getMessage()))).build();
    }
}

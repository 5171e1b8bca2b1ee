package io.afd.services.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A body that is not JSON or does not bind to the request type (including a protocol record's own checks,
 * e.g. a NaN loss): 400 {@code invalid_request}, the reason naming the field ({@link ErrorBody#describe}).
 */
@Provider
public class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
        return ErrorBody.of(e).toResponse();
    }
}

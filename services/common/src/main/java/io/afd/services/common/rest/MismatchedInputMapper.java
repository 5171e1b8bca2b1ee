package io.afd.services.common.rest;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A body whose value has the wrong type or an unknown constant (an unknown loss signal, a string
 * where a number goes, a missing required property): 400 {@code invalid_request} with the common
 * body. Quarkus REST maps this subtype of {@link com.fasterxml.jackson.core.JsonProcessingException}
 * with a built-in mapper of its own; this more specific one keeps the body {@code {status, error,
 * reason}} for every JSON error.
 */
@Provider
public class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {
    @Override
    public Response toResponse(MismatchedInputException e) {
        return ErrorBody.of(e).toResponse();
    }
}

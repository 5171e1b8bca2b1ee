package io.afd.services.common.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * An {@link IllegalArgumentException} that reaches the REST layer is a refused input (an id that breaks
 * {@code io.afd.protocol.Ids}, a value a record or parser refuses): 400 {@code invalid_request} with its
 * message. Code must therefore not let it escape for anything but bad input; an internal inconsistency is an
 * {@link IllegalStateException} (a 500).
 */
@Provider
public class ValidationErrorMapper implements ExceptionMapper<IllegalArgumentException> {
    @Override
    public Response toResponse(IllegalArgumentException e) {
        return ErrorBody.of(e).toResponse();
    }
}

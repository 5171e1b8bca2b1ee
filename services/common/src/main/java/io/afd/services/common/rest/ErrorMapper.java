package io.afd.services.common.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Every {@link WebApplicationException} (the services' {@code BadRequestException}, {@code NotFoundException},
 * ..., score-map's {@code Rejection}) becomes an {@link ErrorBody} with its status. Together with
 * {@link JsonErrorMapper} and {@link ValidationErrorMapper} this is the error handling of every service;
 * they all build the body with {@link ErrorBody#of}.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        return ErrorBody.of(e).toResponse();
    }
}

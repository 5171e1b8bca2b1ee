package io.afd.services.common.rest;

import io.afd.services.common.service.DatabaseOutage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Any other runtime exception a request meets. A database outage (a PostgreSQL restart, failover or network cut,
 * {@link DatabaseOutage}) is a {@code 503 unavailable} with {@code Retry-After}, so callers retry instead of
 * treating it as a bug. Anything else is a {@code 500 internal_error} whose body names an error id that the
 * service logged with the stack trace. More specific mappers ({@link ErrorMapper} for the services' own errors,
 * Quarkus' for security exceptions) take precedence.
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<RuntimeException> {
    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

    /** Seconds a caller is asked to wait before retrying during a database outage. */
    static final int RETRY_AFTER_SECONDS = 2;

    @Override
    public Response toResponse(RuntimeException e) {
        return respond(e);
    }

    static Response respond(RuntimeException e) {
        if (DatabaseOutage.isOutage(e)) {
            LOG.warnf("request failed: the database is unavailable: %s", e.toString());
            return Response.status(503)
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody(503, "database_unavailable", "the database is unavailable; retry shortly"))
                    .build();
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "request failed, error id %s", id);
        return new ErrorBody(500, "internal_error", "internal error " + id + " (the service logged it)").toResponse();
    }
}

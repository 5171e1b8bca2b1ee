package io.afd.services.common.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class UnexpectedErrorMapperTest {

    @Test
    void aDatabaseOutageIsA503WithRetryAfter() {
        Response r = UnexpectedErrorMapper.respond(
                new IllegalStateException("query failed", new SQLException("Connection refused", "08001")));
        assertEquals(503, r.getStatus());
        assertEquals(UnexpectedErrorMapper.RETRY_AFTER_SECONDS, r.getHeaders().getFirst("Retry-After"));
        ErrorBody b = (ErrorBody) r.getEntity();
        assertEquals("database_unavailable", b.error());
    }

    @Test
    void anythingElseIsA500NamingTheLoggedErrorId() {
        Response r = UnexpectedErrorMapper.respond(new NullPointerException("a bug"));
        assertEquals(500, r.getStatus());
        ErrorBody b = (ErrorBody) r.getEntity();
        assertEquals("internal_error", b.error());
        assertTrue(b.reason().matches("internal error [0-9a-f-]{36} \\(the service logged it\\)"), b.reason());
    }
}

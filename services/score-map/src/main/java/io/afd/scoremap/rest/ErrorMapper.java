package io.afd.scoremap.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.afd.scoremap.service.Rejection;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every client error comes back as {@code {"status": n, "error": "...", "reason": "code"}}. */
@Provider
public class ErrorMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e.getCause() instanceof JsonProcessingException j) {
            message = JsonErrorMapper.describe(j);
        }
        return body(status, message, e instanceof Rejection r ? r.reason() : null);
    }

    static Response body(int status, String message, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", message);
        if (reason != null) {
            m.put("reason", reason);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(m).build();
    }
}

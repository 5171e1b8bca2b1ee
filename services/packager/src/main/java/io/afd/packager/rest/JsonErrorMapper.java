package io.afd.packager.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A body that is not valid JSON or does not bind to the request type (e.g. a {@code train} field out of
 * range, which the {@code TrainingConfig} constructor rejects) is a 400 naming the field. The task
 * endpoint binds its body itself ({@link TaskResource}) and uses {@link #describe} for the message.
 */
@Provider
public class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 400, "error", describe(e))).build();
    }

    /** What is wrong with the body, naming the JSON path when there is one. */
    static String describe(JsonProcessingException e) {
        String msg;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String path = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            msg = "invalid request body at " + path + ": " + (root == e ? e.getOriginalMessage() : root.getMessage());
        } else {
            msg = "invalid request body: " + e.getOriginalMessage();
        }
        return msg;
    }
}

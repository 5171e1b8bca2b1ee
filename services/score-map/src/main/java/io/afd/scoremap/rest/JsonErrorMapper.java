package io.afd.scoremap.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.afd.scoremap.service.Rejection;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A body that is not valid JSON or does not fit the DTO (including the protocol records' own checks,
 * e.g. a NaN or negative loss) is a 400 naming the problem.
 */
@Provider
public class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
        return ErrorMapper.body(400, describe(e), Rejection.INVALID_REQUEST);
    }

    static String describe(JsonProcessingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root instanceof IllegalArgumentException && root.getMessage() != null ? root.getMessage()
                : e.getOriginalMessage();
        StringBuilder path = new StringBuilder();
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
        }
        return "invalid JSON body" + (path.isEmpty() ? "" : " at " + path) + ": " + what;
    }
}

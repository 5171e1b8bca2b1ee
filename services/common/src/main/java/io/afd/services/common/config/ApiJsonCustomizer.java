package io.afd.services.common.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.protocol.api.ApiJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Registers {@link ApiJson#module()} on the Quarkus object mapper, which both the REST endpoints and
 * the REST clients of every service use, so the core's typed settings (e.g. the loss signal of a
 * {@code SelectionRequest}) travel in their one JSON form.
 */
@Singleton
public class ApiJsonCustomizer implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(ApiJson.module());
    }
}

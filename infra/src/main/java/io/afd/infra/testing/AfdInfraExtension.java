package io.afd.infra.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 access to {@link SharedInfra}: starts it before the test class and injects it into
 * constructors, lifecycle and test methods that declare a {@code SharedInfra} parameter.
 *
 * <pre>{@code
 * @ExtendWith(AfdInfraExtension.class)
 * class AggregatorIT {
 *     @Test
 *     void roundTrip(SharedInfra infra) {
 *         infra.createTopics("afd.updates");
 *         ... infra.kafkaBootstrapServers() ... infra.jdbcUrl(infra.createUniqueDatabase("agg")) ...
 *     }
 * }
 * }</pre>
 *
 * JUnit is a provided dependency of afd-infra: test code that uses this class has it anyway.
 */
public final class AfdInfraExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        SharedInfra.get();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SharedInfra.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SharedInfra.get();
    }
}

/**
 * Test support for other modules: {@link io.afd.infra.testing.SharedInfra} (one real Kafka broker
 * and PostgreSQL per JVM, stopped at exit) and {@link io.afd.infra.testing.AfdInfraExtension}
 * (JUnit 5). Framework-neutral: a Quarkus test resource returns
 * {@code SharedInfra.get().quarkusProperties("mydb")} from its {@code start()}.
 */
package io.afd.infra.testing;

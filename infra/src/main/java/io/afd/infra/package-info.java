/**
 * Real infrastructure for the AFD suite without Docker: {@link io.afd.infra.KafkaBroker} (a
 * single-node KRaft broker in a child JVM from the Kafka 4.3.1 jars), {@link io.afd.infra.Postgres}
 * (the local PostgreSQL on 127.0.0.1:5432 when usable, else an embedded one),
 * {@link io.afd.infra.InfraStack} (both, started in parallel) and {@link io.afd.infra.InfraMain}
 * ({@code bin/afd-infra up|serve|down|status|env}). See {@code infra/README.md}.
 */
package io.afd.infra;

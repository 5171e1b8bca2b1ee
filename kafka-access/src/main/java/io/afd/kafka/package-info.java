/**
 * Who may do what on the suite's Kafka: {@link io.afd.kafka.Grants} (the ACLs of every principal), {@link
 * io.afd.kafka.KafkaLogin} and {@link io.afd.kafka.KafkaConnection} (how to log in), {@link
 * io.afd.kafka.KafkaAccess} (the Admin API calls that create logins, ACLs and per-client task topics). ADR 0017.
 */
package io.afd.kafka;

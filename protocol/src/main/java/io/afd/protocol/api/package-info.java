/**
 * Request and response bodies of the REST calls between services (see docs/services.md). Kept
 * here, next to the Kafka message schemas, so no service copies them.
 */
package io.afd.protocol.api;

package io.afd.orchestrator.client;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The aggregator's cache of client keys (same base URL as {@link AggregatorClient}). */
@RegisterRestClient(configKey = "aggregator")
@Path("/clients/{clientId}/cached-keys")
public interface AggregatorKeysClient {

    /** Makes the aggregator drop the keys it cached for a client, so a revocation applies to its next update. */
    @DELETE
    void forget(@PathParam("clientId") String clientId);
}

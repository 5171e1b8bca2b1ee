package io.afd.orchestrator.service;

import io.afd.core.round.Client;
import io.afd.orchestrator.EdgeClient;
import io.afd.protocol.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;

/** The client pool: registration, secrets, availability. Client ids follow the protocol's rule ({@link Ids}). */
@ApplicationScoped
public class ClientService {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Registers a client and issues a new secret (returned once). */
    @Transactional
    public EdgeClient register(String id, int numSamples) {
        Ids.require(id, "client id");
        try {
            Client.indexOf(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        if (numSamples < 0) {
            throw new BadRequestException("numSamples must be >= 0");
        }
        if (EdgeClient.findById(id) != null) {
            throw new ClientErrorException("client " + id + " is already registered", Response.Status.CONFLICT);
        }
        EdgeClient c = new EdgeClient();
        c.id = id;
        c.numSamples = numSamples;
        byte[] s = new byte[32];
        RANDOM.nextBytes(s);
        c.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(s);
        c.persist();
        return c;
    }

    public List<EdgeClient> list() {
        return EdgeClient.list("order by id");
    }

    public EdgeClient get(String id) {
        Ids.require(id, "client id");
        EdgeClient c = EdgeClient.findById(id);
        if (c == null) {
            throw new NotFoundException("no client " + id);
        }
        return c;
    }

    @Transactional
    public EdgeClient setAvailable(String id, boolean available) {
        EdgeClient c = get(id);
        c.available = available;
        c.lastSeen = OffsetDateTime.now();
        return c;
    }
}

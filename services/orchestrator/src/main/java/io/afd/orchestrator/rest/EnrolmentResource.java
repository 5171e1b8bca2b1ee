package io.afd.orchestrator.rest;

import io.afd.orchestrator.mapping.Views.EnrolRequest;
import io.afd.orchestrator.mapping.Views.Enrolled;
import io.afd.orchestrator.mapping.Views.PublicKeyView;
import io.afd.orchestrator.service.ClientService;
import io.afd.protocol.VerifyKey;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Edge clients enrol here. There is no operator token: the one-time enrolment token an admin issued is the
 * credential, and the proof of possession binds the key to it. The services' public key is public.
 */
@Path("/api/enrolment")
@Produces(MediaType.APPLICATION_JSON)
public class EnrolmentResource {
    private final ClientService clients;

    public EnrolmentResource(ClientService clients) {
        this.clients = clients;
    }

    // Authenticated by the enrolment token in the body (256 random bits, one use, expiring), not by a bearer token.
    @PermitAll
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enrol a client's Ed25519 public key with its one-time token and proof of possession")
    public Response enrol(EnrolRequest body) {
        if (body == null) {
            throw new BadRequestException(
                    "body required: {\"clientId\", \"enrolmentToken\", \"publicKey\", \"proof\"}");
        }
        var e = clients.enrol(body.clientId(), body.enrolmentToken(), body.publicKey(), body.proof());
        var c = clients.get(body.clientId());
        return Response.created(URI.create("/api/clients/" + c.id + "/keys"))
                .entity(new Enrolled(c.id, e.key().keyId, c.numSamples, serverKeys(), e.kafka()))
                .build();
    }

    @PermitAll
    @GET
    @Path("/server-keys")
    @Operation(summary = "The services' public keys, which client tasks are signed with")
    public List<PublicKeyView> serverKeys() {
        VerifyKey s = clients.serverKey();
        return List.of(new PublicKeyView(s.keyId(), s.text()));
    }
}

package io.afd.orchestrator.rest;

import io.afd.orchestrator.mapping.Views.Availability;
import io.afd.orchestrator.mapping.Views.ClientView;
import io.afd.orchestrator.mapping.Views.KeyView;
import io.afd.orchestrator.mapping.Views.RegisterClient;
import io.afd.orchestrator.mapping.Views.Registered;
import io.afd.orchestrator.mapping.Views.RevokedView;
import io.afd.orchestrator.service.ClientService;
import io.afd.services.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Management API: the client pool. */
@Path("/api/clients")
@Produces(MediaType.APPLICATION_JSON)
public class ClientResource {
    private final ClientService clients;

    public ClientResource(ClientService clients) {
        this.clients = clients;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a client; the response carries its one-time enrolment token, shown once")
    public Response register(RegisterClient body) {
        if (body == null) {
            throw new BadRequestException("body required: {\"id\", \"numSamples\"}");
        }
        var issued = clients.register(body.id(), body.numSamples());
        return Response.created(URI.create("/api/clients/" + issued.client().id))
                .entity(Registered.of(issued))
                .build();
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/{id}/enrolment-tokens")
    @Operation(summary = "A new one-time enrolment token (to enrol a new key); an unused earlier one stops working")
    public Registered newEnrolmentToken(@PathParam("id") String id) {
        return Registered.of(clients.newEnrolmentToken(id));
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}/keys")
    @Operation(summary = "A client's public keys, revoked ones included")
    public List<KeyView> keys(@PathParam("id") String id) {
        return clients.keys(id).stream().map(KeyView::of).toList();
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}/keys/{keyId}")
    @Operation(summary = "Revoke one of a client's keys: its updates signed with it are refused from now on")
    public RevokedView revoke(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        var r = clients.revoke(id, keyId);
        return new RevokedView(KeyView.of(r.key()), r.aggregatorNotified(), r.kafkaLoginRemoved());
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Operation(summary = "List clients by id; with limit, one page of them after the id 'after' (keyset paging)")
    public List<ClientView> list(
            @jakarta.ws.rs.QueryParam("limit") Integer limit, @jakarta.ws.rs.QueryParam("after") String after) {
        if (limit == null) {
            if (after != null) {
                throw new jakarta.ws.rs.BadRequestException("after needs limit");
            }
            return clients.list().stream().map(ClientView::of).toList();
        }
        return clients.page(after, limit).stream().map(ClientView::of).toList();
    }

    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    @GET
    @Path("/{id}")
    public ClientView get(@PathParam("id") String id) {
        return ClientView.of(clients.get(id));
    }

    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @PUT
    @Path("/{id}/availability")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a client available or not for sampling")
    public ClientView availability(@PathParam("id") String id, Availability body) {
        if (body == null) {
            throw new BadRequestException("body required: {\"available\": true|false}");
        }
        return ClientView.of(clients.setAvailable(id, body.available()));
    }
}

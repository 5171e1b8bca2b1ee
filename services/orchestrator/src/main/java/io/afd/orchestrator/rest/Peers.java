package io.afd.orchestrator.rest;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import java.util.function.Supplier;

/** Calls to a peer that the console's endpoints pass through: what the peer answers, or a 502 naming it. */
final class Peers {
    private Peers() {}

    /**
     * The peer's answer. An error status {@code status} becomes {@code onStatus}'s answer (or what it throws); any
     * other error status, or a peer that cannot be reached, is a 502 that names the peer.
     */
    static <T> T call(String peer, Supplier<T> call, int status, Function<WebApplicationException, T> onStatus) {
        WebApplicationException handled;
        try {
            return call.get();
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() != status) {
                throw new ServerErrorException(
                        "the " + peer + " answered " + e.getResponse().getStatus(), Response.Status.BAD_GATEWAY, e);
            }
            handled = e;
        } catch (ProcessingException e) {
            throw new ServerErrorException(
                    "the " + peer + " is unreachable: " + e.getMessage(), Response.Status.BAD_GATEWAY, e);
        }
        return onStatus.apply(handled); // outside the try: what it throws is the answer
    }

    /** The peer's answer; any error status or an unreachable peer is a 502 that names it. */
    static <T> T call(String peer, Supplier<T> call) {
        return call(peer, call, -1, e -> {
            throw new IllegalStateException("unreachable");
        });
    }
}

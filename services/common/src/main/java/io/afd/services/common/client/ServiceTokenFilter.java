package io.afd.services.common.client;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends this service's own bearer token with every call of its REST clients to peers (ADR 0016): the JWT in
 * {@code afd.service-token} (env {@code AFD_SERVICE_TOKEN}), or the one in the file {@code afd.service-token-file}
 * (env {@code AFD_SERVICE_TOKEN_FILE}), read again whenever the file changes, so a token a sidecar or the platform
 * rotates (a Kubernetes projected volume, a Vault agent) is picked up without a restart. With neither, calls go
 * without a token and the peer answers 401.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ServiceTokenFilter implements ClientRequestFilter {
    private volatile Cached cached;

    private record Cached(Path file, FileTime modified, String token) {}

    @Override
    public void filter(ClientRequestContext request) {
        if (request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
            return; // the caller chose its credential
        }
        String token = token();
        if (token != null) {
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
    }

    /** The current service token, or null when none is configured. */
    String token() {
        Config config = ConfigProvider.getConfig();
        return token(
                config.getOptionalValue("afd.service-token", String.class),
                config.getOptionalValue("afd.service-token-file", String.class));
    }

    /** The token from these settings: the inline one, else the file's content (cached until the file changes). */
    String token(Optional<String> inline, Optional<String> file) {
        if (inline.isPresent() && !inline.get().isBlank()) {
            return inline.get().trim();
        }
        if (file.isEmpty() || file.get().isBlank()) {
            return null;
        }
        Path p = Path.of(file.get().trim());
        try {
            FileTime modified = Files.getLastModifiedTime(p);
            Cached c = cached;
            if (c == null || !c.file().equals(p) || !c.modified().equals(modified)) {
                c = new Cached(
                        p,
                        modified,
                        Files.readString(p, StandardCharsets.US_ASCII).trim());
                cached = c;
            }
            return c.token();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this service's token from afd.service-token-file " + p, e);
        }
    }
}

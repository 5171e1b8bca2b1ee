/**
 * Operator authentication for local runs and tests: {@link io.afd.infra.auth.LocalIssuer} keeps an
 * RS256 signing key, publishes its public half as a JWKS and mints bearer tokens with the suite's
 * roles; {@link io.afd.infra.auth.TokenCommand} is {@code bin/afd token}. Production uses any OIDC
 * provider's JWKS instead (ADR 0013); nothing here runs in a production service.
 */
package io.afd.infra.auth;

-- orchestrator: clients enrol their own Ed25519 keys (protocol version 2); the server keeps public keys only.
-- The HMAC secrets of protocol version 1 are dropped: a v1 client cannot talk to a v2 suite, and keeping a
-- credential nobody uses is only a liability.
ALTER TABLE edge_client DROP COLUMN secret;
-- The one-time enrolment token, as its SHA-256 (hex); null once used or before one is issued.
ALTER TABLE edge_client ADD COLUMN enrolment_token_sha256 TEXT;
ALTER TABLE edge_client ADD COLUMN enrolment_expires_at TIMESTAMPTZ;

CREATE TABLE client_key (
    client_id   TEXT        NOT NULL REFERENCES edge_client (id) ON DELETE CASCADE,
    key_id      TEXT        NOT NULL,
    public_key  TEXT        NOT NULL,
    enrolled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ,
    PRIMARY KEY (client_id, key_id)
);
CREATE INDEX client_key_active ON client_key (client_id) WHERE revoked_at IS NULL;

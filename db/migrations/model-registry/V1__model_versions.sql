-- model-registry: global model versions of every experiment.
CREATE TABLE model_version (
    id             BIGSERIAL PRIMARY KEY,
    experiment_id  TEXT        NOT NULL,
    version        INTEGER     NOT NULL,
    parent_version INTEGER,
    round          INTEGER,
    architecture   TEXT        NOT NULL,
    num_params     BIGINT      NOT NULL,
    size_bytes     BIGINT      NOT NULL,
    sha256         CHAR(64)    NOT NULL,
    weights        BYTEA       NOT NULL,
    metrics        TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT model_version_unique UNIQUE (experiment_id, version)
);
-- one version per experiment round: a retried write of the same round finds the existing row
CREATE UNIQUE INDEX model_version_round ON model_version (experiment_id, round) WHERE round IS NOT NULL;

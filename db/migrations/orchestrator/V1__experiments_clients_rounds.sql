-- orchestrator: experiments, the client pool, and the per-round state machine.
CREATE TABLE experiment (
    id             TEXT PRIMARY KEY,
    name           TEXT        NOT NULL,
    config_yaml    TEXT        NOT NULL,
    status         TEXT        NOT NULL,
    current_round  INTEGER     NOT NULL DEFAULT 0,
    rounds_done    INTEGER     NOT NULL DEFAULT 0,
    best_accuracy  DOUBLE PRECISION,
    last_accuracy  DOUBLE PRECISION,
    model_version  INTEGER,
    round_timeout_s INTEGER    NOT NULL DEFAULT 300,
    quorum         DOUBLE PRECISION NOT NULL DEFAULT 1.0,
    error          TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE edge_client (
    id             TEXT PRIMARY KEY,
    secret         TEXT        NOT NULL,
    num_samples    INTEGER     NOT NULL DEFAULT 0,
    available      BOOLEAN     NOT NULL DEFAULT TRUE,
    registered_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen      TIMESTAMPTZ
);

CREATE TABLE round (
    experiment_id  TEXT        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    round          INTEGER     NOT NULL,
    state          TEXT        NOT NULL,
    participants   TEXT        NOT NULL,
    base_version   INTEGER,
    model_version  INTEGER,
    deadline       TIMESTAMPTZ,
    received       INTEGER,
    rejected       INTEGER,
    test_accuracy  DOUBLE PRECISION,
    test_loss      DOUBLE PRECISION,
    train_loss     DOUBLE PRECISION,
    bytes_down     BIGINT,
    bytes_up       BIGINT,
    started_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at    TIMESTAMPTZ,
    PRIMARY KEY (experiment_id, round)
);

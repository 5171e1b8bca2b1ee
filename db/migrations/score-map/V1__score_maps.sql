-- score-map: score maps, selections and their history (docs/services.md steps 2 and 8).

-- The selection settings of an experiment, fixed by its first selection request. The results
-- endpoint and the afd.rounds consumer need them to rebuild the DropoutStrategy.
CREATE TABLE experiment (
    experiment_id TEXT             PRIMARY KEY,
    policy        TEXT             NOT NULL,
    dropout_rate  DOUBLE PRECISION NOT NULL,
    top_k         BOOLEAN          NOT NULL,
    eps           DOUBLE PRECISION NOT NULL,
    loss_signal   TEXT             NOT NULL,
    seed          BIGINT           NOT NULL,
    architecture  TEXT             NOT NULL,
    created_at    TIMESTAMPTZ      NOT NULL DEFAULT now()
);

-- One score map: Single-Model key 'global', Multi-Model key = client id.
-- scores: JSON object {layer: [score per unit]} in model layer order (doubles round-trip exactly).
CREATE TABLE score_map (
    id                BIGSERIAL        PRIMARY KEY,
    experiment_id     TEXT             NOT NULL REFERENCES experiment (experiment_id),
    map_key           TEXT             NOT NULL,
    scores            TEXT             NOT NULL,
    last_loss         DOUBLE PRECISION,
    current_selection TEXT,
    current_id        CHAR(16),
    reuse             BOOLEAN          NOT NULL DEFAULT FALSE,
    observations      INTEGER          NOT NULL DEFAULT 0,
    updated_round     INTEGER,
    updated_at        TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT score_map_unique UNIQUE (experiment_id, map_key)
);

-- Each participant's selection of a round (idempotency of POST .../selections).
CREATE TABLE selection (
    id            BIGSERIAL   PRIMARY KEY,
    experiment_id TEXT        NOT NULL REFERENCES experiment (experiment_id),
    round         INTEGER     NOT NULL,
    client_id     TEXT        NOT NULL,
    position      INTEGER     NOT NULL,
    selection_id  CHAR(16)    NOT NULL,
    canonical     TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT selection_unique UNIQUE (experiment_id, round, client_id)
);

-- Every score update (DropoutStrategy.ScoreUpdate), one per map per round.
CREATE TABLE score_update (
    id            BIGSERIAL        PRIMARY KEY,
    experiment_id TEXT             NOT NULL REFERENCES experiment (experiment_id),
    map_key       TEXT             NOT NULL,
    round         INTEGER          NOT NULL,
    previous_loss DOUBLE PRECISION,
    loss          DOUBLE PRECISION NOT NULL,
    increment     DOUBLE PRECISION NOT NULL,
    reuse         BOOLEAN          NOT NULL,
    selection_id  CHAR(16)         NOT NULL,
    created_at    TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT score_update_unique UNIQUE (experiment_id, map_key, round)
);
CREATE INDEX score_update_round ON score_update (experiment_id, round);

-- Rounds whose results were applied (idempotency of POST .../results and the afd.rounds consumer:
-- whichever comes first wins). results: the applied RoundResults as JSON.
CREATE TABLE applied_results (
    id            BIGSERIAL   PRIMARY KEY,
    experiment_id TEXT        NOT NULL REFERENCES experiment (experiment_id),
    round         INTEGER     NOT NULL,
    source        TEXT        NOT NULL,
    results       TEXT        NOT NULL,
    applied_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT applied_results_unique UNIQUE (experiment_id, round)
);

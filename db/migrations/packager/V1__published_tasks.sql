-- packager: one row per task published on afd.tasks, per (experiment, round, client).
-- A row is written only after every envelope of the task was acknowledged by Kafka, so a
-- repeated request republishes exactly the clients that have no row yet.
CREATE TABLE published_task (
    id             BIGSERIAL PRIMARY KEY,
    experiment_id  TEXT        NOT NULL,
    round          INTEGER     NOT NULL,
    client_id      TEXT        NOT NULL,
    client_index   INTEGER     NOT NULL,
    model_version  INTEGER     NOT NULL,
    selection_id   CHAR(16)    NOT NULL,
    bytes          BIGINT      NOT NULL,
    chunks         INTEGER     NOT NULL,
    message_id     UUID        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT published_task_unique UNIQUE (experiment_id, round, client_id),
    CONSTRAINT published_task_round CHECK (round >= 0),
    CONSTRAINT published_task_sizes CHECK (bytes > 0 AND chunks >= 1)
);

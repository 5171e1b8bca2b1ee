-- aggregator: round descriptors, accepted client updates, rejections.

-- One aggregation round of an experiment: what the updates apply to and who may send one.
-- state: OPEN (accepting updates) -> CLOSING (close started; no more updates) -> CLOSED (result stored).
CREATE TABLE aggregation_round (
    id                BIGSERIAL   PRIMARY KEY,
    experiment_id     TEXT        NOT NULL,
    round             INTEGER     NOT NULL CHECK (round >= 0),
    architecture      TEXT        NOT NULL,
    base_version      INTEGER     NOT NULL CHECK (base_version >= 0),
    deadline_ms       BIGINT      NOT NULL,
    state             TEXT        NOT NULL CHECK (state IN ('OPEN', 'CLOSING', 'CLOSED')),
    model_version     INTEGER,
    rejected_at_close INTEGER,
    -- the CloseResult as JSON, returned verbatim by a repeated close
    result_json       TEXT,
    opened_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at         TIMESTAMPTZ,
    CONSTRAINT aggregation_round_unique UNIQUE (experiment_id, round)
);

-- The participants of a round and the sub-model (selection) each one trains.
CREATE TABLE participant (
    round_id     BIGINT   NOT NULL REFERENCES aggregation_round (id) ON DELETE CASCADE,
    client_id    TEXT     NOT NULL,
    selection    TEXT     NOT NULL,
    selection_id CHAR(16) NOT NULL,
    PRIMARY KEY (round_id, client_id)
);

-- Accepted updates: at most one per (experiment, round, client), and at most one per Kafka record
-- (a redelivered record is recognised by its topic/partition/offset and not counted again).
CREATE TABLE client_update (
    id              BIGSERIAL        PRIMARY KEY,
    experiment_id   TEXT             NOT NULL,
    round           INTEGER          NOT NULL,
    client_id       TEXT             NOT NULL,
    selection_id    CHAR(16)         NOT NULL,
    model_version   BIGINT           NOT NULL,
    num_samples     INTEGER          NOT NULL CHECK (num_samples >= 1),
    train_loss      DOUBLE PRECISION NOT NULL,
    initial_loss    DOUBLE PRECISION,
    train_millis    BIGINT           NOT NULL,
    -- bytes of the task envelopes the client received (its bytesReceived): the round's bytesDown
    bytes_received  BIGINT           NOT NULL,
    -- bytes of this update's envelopes (all distinct chunks): the round's bytesUp
    bytes_up        BIGINT           NOT NULL,
    payload_sha256  CHAR(64)         NOT NULL,
    -- the AFDT update blob exactly as received (sub-model coordinates)
    payload         BYTEA            NOT NULL,
    kafka_topic     TEXT             NOT NULL,
    kafka_partition INTEGER          NOT NULL,
    kafka_offset    BIGINT           NOT NULL,
    received_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT client_update_once UNIQUE (experiment_id, round, client_id),
    CONSTRAINT client_update_record UNIQUE (kafka_topic, kafka_partition, kafka_offset)
);

-- Rejected records and messages, with the protocol reason code. Partition and offset are null when the
-- rejection is not about one record (a reassembly timeout spans several).
CREATE TABLE rejection (
    id              BIGSERIAL   PRIMARY KEY,
    experiment_id   TEXT,
    round           INTEGER,
    client_id       TEXT,
    reason          TEXT        NOT NULL,
    detail          TEXT        NOT NULL,
    kafka_topic     TEXT        NOT NULL,
    kafka_partition INTEGER,
    kafka_offset    BIGINT,
    record_key      TEXT,
    wire_bytes      BIGINT,
    rejected_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- one rejection per Kafka record: a redelivered rejected record is not recorded (or dead-lettered) twice
CREATE UNIQUE INDEX rejection_record ON rejection (kafka_topic, kafka_partition, kafka_offset)
    WHERE kafka_offset IS NOT NULL;
CREATE INDEX rejection_round ON rejection (experiment_id, round);

-- The uplink codec a round's tasks name (CodecSpec text, e.g. "sparse-f32"): an update whose tensors use
-- another encoding is refused before it is decoded. NULL for rounds opened before: any encoding.
ALTER TABLE aggregation_round ADD COLUMN uplink TEXT;

-- The event log in blocks: one row per task and group commit, holding that task's consecutive
-- events of the commit. A worker that posts its chunks in batches (the batch endpoint) writes one
-- row per batch instead of one per chunk: a heap tuple, two index entries and their WAL each
-- (bench e: inserting 320 events over 32 tasks took 5.7-6.3 ms as rows, 3.3-3.6 ms as blocks,
-- and the table was a tenth of the size, since a block's payloads are compressed together).
-- The events of a block share their commit's created_at and expires_at, so a block expires whole.
CREATE TABLE IF NOT EXISTS task_message_blocks (
  task_id         uuid NOT NULL,
  first_event_id  integer NOT NULL,
  -- The key: blocks of a task never overlap, so reading after an event id is one index range.
  last_event_id   integer NOT NULL,
  -- Per event of the block, in event id order.
  types           text[] NOT NULL,
  sequences       integer[] NOT NULL,
  -- A JSON array of the A2A v1.0 StreamResponses exactly as streamed.
  payloads        json NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (task_id, last_event_id)
);

CREATE INDEX IF NOT EXISTS task_message_blocks_expires_at ON task_message_blocks (expires_at);

INSERT INTO task_message_blocks (task_id, first_event_id, last_event_id, types, sequences, payloads, created_at, expires_at)
SELECT task_id, event_id, event_id, ARRAY[type], ARRAY[sequence], json_build_array(payload), created_at, expires_at
  FROM task_messages;

DROP TABLE task_messages;

-- A task's events with after_event_id < event_id <= through_event_id, one row each, in id order.
-- Every reader of the log goes through it (PostgreSQL inlines it into the calling statement), and
-- so can a person: SELECT * FROM task_events('<task id>', 0, 2147483647). Ordered by the key, not
-- by event_id: so the order comes from the index, and a LIMIT around it reads only the blocks it
-- returns (ordered by event_id, every block after the first was read and sorted first).
CREATE OR REPLACE FUNCTION task_events(task uuid, after_event_id integer, through_event_id integer)
RETURNS TABLE (event_id integer, sequence integer, type text, payload json, created_at timestamptz, expires_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT e.event_id, b.sequences[e.o], b.types[e.o], e.payload, b.created_at, b.expires_at
    FROM task_message_blocks b,
         LATERAL (SELECT b.first_event_id + x.o::int - 1 AS event_id, x.o, x.payload
                    FROM json_array_elements(b.payloads) WITH ORDINALITY AS x(payload, o)) e
   WHERE b.task_id = task AND b.last_event_id > after_event_id AND b.first_event_id <= through_event_id
     AND e.event_id > after_event_id AND e.event_id <= through_event_id
   ORDER BY b.last_event_id, e.o
$$;

-- The sequences a closed reorder window skipped, kept on the task row, instead of a second index
-- on the event log.
--
-- A worker repeating a sequence at or below the task's last_sequence gets an acknowledgement if
-- that sequence was stored and SEQUENCE_SKIPPED if its gap was closed without it. The gateway
-- used to tell the two apart by looking the sequence up in the log through
-- UNIQUE (task_id, sequence), a B-tree every stored event paid for (bench e: 13 % of
-- PostgreSQL's CPU per event). It now reads the skipped ranges from the task row it already
-- holds; they change only when a gap is closed. This also acknowledges a repeat of a sequence
-- whose event the pruner has deleted, which the lookup refused as skipped.

ALTER TABLE tasks ADD COLUMN IF NOT EXISTS skipped_sequences integer[] NOT NULL DEFAULT '{}';

-- Inclusive ranges as [from, to, from, to, ...]: the gaps between the sequences in the log, and
-- the one before the first of them while nothing of the task has been pruned.
WITH stored AS (
  SELECT task_id, sequence,
         lag(sequence) OVER (PARTITION BY task_id ORDER BY sequence) AS previous
    FROM task_messages
   WHERE sequence IS NOT NULL
), gaps AS (
  SELECT s.task_id, coalesce(s.previous, 0) + 1 AS first, s.sequence - 1 AS last
    FROM stored s
    JOIN tasks t ON t.id = s.task_id
   WHERE s.sequence > coalesce(s.previous, 0) + 1
     AND (s.previous IS NOT NULL OR t.pruned_through_event_id = 0)
)
UPDATE tasks t SET skipped_sequences = r.ranges
  FROM (SELECT g.task_id, array_agg(p.bound ORDER BY g.first, p.position) AS ranges
          FROM gaps g, LATERAL (VALUES (1, g.first), (2, g.last)) AS p(position, bound)
         GROUP BY g.task_id) r
 WHERE t.id = r.task_id;

ALTER TABLE task_messages DROP CONSTRAINT IF EXISTS task_messages_task_sequence;

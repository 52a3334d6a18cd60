-- Cheaper writes for the statement that stores each batch of events (measured with
-- EXPLAIN ANALYZE and bench/; see docs/benchmarks.md).

-- The event log's foreign key to tasks is checked by a trigger for every inserted event: a third
-- of that statement's time (300 events: 0.93 of 2.95 ms). The only writer inserts a task's
-- events in the same statement that updates that task's row, and only if the update matched, so
-- an event cannot name a missing task. Events of a task deleted by hand are no longer deleted
-- with it; the pruner removes them when they expire.
ALTER TABLE task_messages DROP CONSTRAINT IF EXISTS task_messages_task_id_fkey;

-- Every batch updates the row of each task it touches. Room left in each page lets PostgreSQL
-- put the new row version beside the old one (a HOT update) instead of adding entries to both
-- of the table's indexes. Applies to pages written from now on.
ALTER TABLE tasks SET (fillfactor = 70);

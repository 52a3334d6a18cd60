-- Tasks and their ordered event log. Applied by the gateway itself at start-up (PGlite and
-- PostgreSQL) and by the Supabase CLI for Supabase projects.

CREATE TABLE IF NOT EXISTS tasks (
  id                       uuid PRIMARY KEY,
  org                      text NOT NULL,
  agent                    text NOT NULL,
  owner                    text NOT NULL,
  context_id               text NOT NULL,
  parent_task_id           uuid,
  state                    text NOT NULL,
  -- The A2A TaskStatus as last set (state, timestamp, message).
  status                   json NOT NULL,
  history                  json NOT NULL DEFAULT '[]',
  metadata                 json NOT NULL DEFAULT '{}',
  -- Artifacts folded from the log through snapshot_event_id; later events are folded on read.
  artifacts                json NOT NULL DEFAULT '[]',
  snapshot_event_id        integer NOT NULL DEFAULT 0,
  -- Events up to here may have been deleted by the pruner: replay from before it needs a snapshot.
  pruned_through_event_id  integer NOT NULL DEFAULT 0,
  last_event_id            integer NOT NULL DEFAULT 0,
  -- Highest worker sequence that has an event id; later ones wait in task_message_pending.
  last_sequence            integer NOT NULL DEFAULT 0,
  pending_count            integer NOT NULL DEFAULT 0,
  -- Artifacts that have had a chunk, so the next chunk of one is sent with append: true.
  artifact_ids             text[] NOT NULL DEFAULT '{}',
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS tasks_listing ON tasks (org, agent, owner, created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS task_messages (
  task_id     uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  -- Per-task, strictly increasing, contiguous: the SSE `id`.
  event_id    integer NOT NULL,
  -- The worker's sequence; NULL for events the gateway emits itself (submitted, canceled, ...).
  sequence    integer,
  -- The SSE event name: status-update | artifact-update.
  type        text NOT NULL,
  -- The A2A v1.0 StreamResponse exactly as streamed (json keeps the text as written).
  payload     json NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (task_id, event_id),
  CONSTRAINT task_messages_task_sequence UNIQUE (task_id, sequence)
);

CREATE INDEX IF NOT EXISTS task_messages_expires_at ON task_messages (expires_at);

-- Worker events that arrived ahead of a missing sequence: stored (so acknowledged) but not yet
-- given an event id. They move to task_messages when the gap fills or the reorder window closes.
CREATE TABLE IF NOT EXISTS task_message_pending (
  task_id     uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  sequence    integer NOT NULL,
  body        json NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, sequence)
);

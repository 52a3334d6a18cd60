-- A2A push notification configs: the webhooks a client registered for a task, and how far
-- each has been delivered, so that delivery resumes where it stopped (retries, restarts).

CREATE TABLE IF NOT EXISTS push_notification_configs (
  task_id                     uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  -- Chosen by the client, or generated; unique within the task.
  id                          text NOT NULL,
  org                         text NOT NULL,
  url                         text NOT NULL,
  -- Sent back as X-A2A-Notification-Token so that the receiver can tell the notification is its own.
  token                       text,
  auth_scheme                 text,
  auth_credentials            text,
  -- The A2A version of the request that registered it: notifications are sent in its form.
  protocol_version            text NOT NULL,
  -- Events of the task's log up to here have been delivered (or given up on).
  delivered_through_event_id  integer NOT NULL DEFAULT 0,
  created_by                  text NOT NULL,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, id)
);

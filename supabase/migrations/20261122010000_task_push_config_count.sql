-- How many push notification configs each task has, kept on the task row by a trigger.
--
-- The statement that stores a batch of events already updates each task's row; returning this
-- count from it tells the gateway which tasks need push delivery without a second query per
-- batch (bench scenario b: that lookup was half of all round trips to the database).
--
-- It also orders registration against delivery. Registering a config updates the task row, so
-- it and a batch storing events of that task take the same row lock: either the batch commits
-- first and the new config's catch-up read finds its events, or the batch waits, sees the
-- count the registration left, and delivers them itself.

ALTER TABLE tasks ADD COLUMN IF NOT EXISTS push_config_count integer NOT NULL DEFAULT 0;

UPDATE tasks t SET push_config_count = c.n
  FROM (SELECT task_id, count(*)::int AS n FROM push_notification_configs GROUP BY task_id) c
 WHERE t.id = c.task_id;

CREATE OR REPLACE FUNCTION count_task_push_configs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE tasks SET push_config_count = push_config_count + 1 WHERE id = NEW.task_id;
  ELSE
    UPDATE tasks SET push_config_count = push_config_count - 1 WHERE id = OLD.task_id;
  END IF;
  RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS push_notification_configs_count ON push_notification_configs;
CREATE TRIGGER push_notification_configs_count
  AFTER INSERT OR DELETE ON push_notification_configs
  FOR EACH ROW EXECUTE FUNCTION count_task_push_configs();

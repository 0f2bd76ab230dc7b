-- Live pushes across instances: each statement that appends to the change log notifies channel
-- clubos_change once per facility it touched. NOTIFY is delivered at commit (never for a rollback),
-- so a listener on another instance reads an entry that is already visible.
CREATE OR REPLACE FUNCTION clubos_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE f text;
BEGIN
  FOR f IN SELECT DISTINCT facility_id::text FROM appended LOOP
    PERFORM pg_notify('clubos_change', f);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER change_log_notify AFTER INSERT ON change_log
  REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION clubos_change_notify();

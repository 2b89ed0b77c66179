-- users.held_count follows every change of a lead's owner, whatever makes it (claim, release,
-- create, assignment, recycling, deletion), so it cannot drift from the leads table.
CREATE FUNCTION leads_track_holding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.owner_id IS NOT DISTINCT FROM NEW.owner_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.owner_id IS NOT NULL THEN
    UPDATE users SET held_count = held_count - 1 WHERE id = OLD.owner_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.owner_id IS NOT NULL THEN
    UPDATE users SET held_count = held_count + 1 WHERE id = NEW.owner_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER leads_track_holding AFTER INSERT OR DELETE OR UPDATE OF owner_id ON leads
  FOR EACH ROW EXECUTE FUNCTION leads_track_holding();
--> statement-breakpoint
UPDATE users u SET held_count = (SELECT count(*) FROM leads l WHERE l.owner_id = u.id);

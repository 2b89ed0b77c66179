ALTER TABLE "leads" ADD COLUMN "furthest_stage" text;--> statement-breakpoint
-- The furthest stage a lead reached, for the funnel. Moving on to a later stage clears it (the stage
-- itself is the furthest); moving back, or to a lost stage, keeps the furthest open or won stage reached
-- before. A lost stage reaches nothing. Stage positions are read now: an admin's reordering applies to
-- later moves.
CREATE FUNCTION leads_furthest_stage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  reached text := coalesce(OLD.furthest_stage, OLD.stage);
  reached_at smallint;
  reached_kind text;
  to_at smallint;
  to_kind text;
BEGIN
  SELECT position, kind INTO reached_at, reached_kind FROM pipeline_stages WHERE key = reached;
  SELECT position, kind INTO to_at, to_kind FROM pipeline_stages WHERE key = NEW.stage;
  IF reached_kind IS NULL OR reached_kind = 'lost' THEN reached := NULL; END IF;
  IF to_kind = 'lost' THEN NEW.furthest_stage := reached;
  ELSIF reached IS NULL OR to_at >= reached_at THEN NEW.furthest_stage := NULL;
  ELSE NEW.furthest_stage := reached;
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER leads_furthest_stage BEFORE UPDATE OF stage ON leads
  FOR EACH ROW WHEN (OLD.stage IS DISTINCT FROM NEW.stage) EXECUTE FUNCTION leads_furthest_stage();--> statement-breakpoint
-- What the log says leads reached before this column existed.
WITH reached AS (
  SELECT e.lead_id, max(p.position) AS at
  FROM lead_events e JOIN pipeline_stages p ON p.key IN (e.data->>'from', e.data->>'to') AND p.kind <> 'lost'
  WHERE e.type = 'lead.stage_changed'
  GROUP BY e.lead_id
)
UPDATE leads l SET furthest_stage = p.key
FROM reached r JOIN pipeline_stages p ON p.position = r.at AND p.kind <> 'lost', pipeline_stages cur
WHERE l.id = r.lead_id AND cur.key = l.stage AND (cur.kind = 'lost' OR cur.position < r.at);--> statement-breakpoint
-- The funnel and the channels count the leads created in a period: an index-only scan of the period.
CREATE INDEX leads_created_funnel ON leads (created_at) INCLUDE (stage, furthest_stage, team_id, owner_id, exhibition_id, source_channel);--> statement-breakpoint
-- The exhibition board counts each show's leads.
CREATE INDEX leads_by_exhibition ON leads (exhibition_id) INCLUDE (stage, furthest_stage, team_id, owner_id) WHERE exhibition_id IS NOT NULL;

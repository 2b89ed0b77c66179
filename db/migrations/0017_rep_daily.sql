CREATE TABLE "rep_daily" (
	"day" date NOT NULL,
	"user_id" text NOT NULL,
	"team_id" text,
	"calls" integer DEFAULT 0 NOT NULL,
	"connected" integer DEFAULT 0 NOT NULL,
	"talk_seconds" integer DEFAULT 0 NOT NULL,
	"follow_ups" integer DEFAULT 0 NOT NULL,
	"stage_advances" integer DEFAULT 0 NOT NULL,
	"wins" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(16, 2) DEFAULT 0 NOT NULL,
	CONSTRAINT "rep_daily_day_user_id_pk" PRIMARY KEY("day","user_id")
);
--> statement-breakpoint
ALTER TABLE "rep_daily" ADD CONSTRAINT "rep_daily_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rep_daily_by_team" ON "rep_daily" USING btree ("day","team_id");--> statement-breakpoint
-- The organisation's day of a moment (settings.time_zone): what "today" means on a leaderboard.
CREATE FUNCTION org_day(p_at timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
  SELECT (p_at AT TIME ZONE coalesce((SELECT time_zone FROM settings WHERE id = 1), 'Asia/Shanghai'))::date
$$;--> statement-breakpoint
-- A call that reached the customer (connected, call back later, not interested) counts as connected.
CREATE FUNCTION call_reached(p_outcome text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(p_outcome IN ('connected', 'callback', 'not_interested'), false)
$$;--> statement-breakpoint
-- A move to a later stage of the pipeline, lost not counted.
CREATE FUNCTION stage_advanced(p_from text, p_to text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT t.kind <> 'lost' AND t.position > f.position FROM pipeline_stages f, pipeline_stages t WHERE f.key = p_from AND t.key = p_to), false)
$$;--> statement-breakpoint
-- Adds to a rep's counters of a day (creating the day's row with the rep's team).
CREATE FUNCTION rep_daily_add(p_day date, p_user text, p_calls integer, p_connected integer, p_talk integer,
  p_follow_ups integer, p_advances integer, p_wins integer, p_revenue numeric) RETURNS void LANGUAGE sql AS $$
  INSERT INTO rep_daily AS r (day, user_id, team_id, calls, connected, talk_seconds, follow_ups, stage_advances, wins, revenue)
  SELECT p_day, u.id, u.team_id, p_calls, p_connected, p_talk, p_follow_ups, p_advances, p_wins, p_revenue FROM users u WHERE u.id = p_user
  ON CONFLICT (day, user_id) DO UPDATE SET
    calls = r.calls + excluded.calls, connected = r.connected + excluded.connected,
    talk_seconds = r.talk_seconds + excluded.talk_seconds, follow_ups = r.follow_ups + excluded.follow_ups,
    stage_advances = r.stage_advances + excluded.stage_advances, wins = r.wins + excluded.wins, revenue = r.revenue + excluded.revenue
$$;--> statement-breakpoint
-- Follow-ups count for who did them; stage advances and wins for the lead's owner. (Claims are counted
-- from the log's lead_events_claims_by_actor index: the claim path stays free of this work.)
CREATE FUNCTION lead_events_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d date := org_day(NEW.at);
BEGIN
  IF NEW.type = 'lead.followed_up' AND NEW.actor_type = 'user' THEN
    PERFORM rep_daily_add(d, NEW.actor_id, 0, 0, 0, 1, 0, 0, 0);
  ELSIF NEW.type = 'lead.stage_changed' AND stage_advanced(NEW.data->>'from', NEW.data->>'to') THEN
    PERFORM rep_daily_add(d, coalesce(NEW.owner_id, NEW.actor_id), 0, 0, 0, 0, 1, 0, 0);
  ELSIF NEW.type = 'deal.won' THEN
    PERFORM rep_daily_add(d, coalesce(NEW.owner_id, NEW.actor_id), 0, 0, 0, 0, 0, 1, (NEW.data->'deal'->>'amount')::numeric);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER lead_events_count AFTER INSERT ON lead_events FOR EACH ROW
  WHEN (NEW.type IN ('lead.followed_up', 'lead.stage_changed', 'deal.won')) EXECUTE FUNCTION lead_events_count();--> statement-breakpoint
-- A call counts once it has ended (on the day it started); a later log that changes its outcome or
-- the provider's talk time corrects the connected count and talk time. A call the call centre never
-- placed does not count.
CREATE FUNCTION calls_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counted boolean := OLD.ended_at IS NOT NULL AND OLD.provider_status IS DISTINCT FROM 'not_placed';
  counts boolean := NEW.ended_at IS NOT NULL AND NEW.provider_status IS DISTINCT FROM 'not_placed';
  old_conn integer := (counted AND call_reached(OLD.outcome))::integer;
  new_conn integer := (counts AND call_reached(NEW.outcome))::integer;
  old_talk integer := CASE WHEN old_conn = 1 THEN coalesce(OLD.duration_seconds, 0) ELSE 0 END;
  new_talk integer := CASE WHEN new_conn = 1 THEN coalesce(NEW.duration_seconds, 0) ELSE 0 END;
BEGIN
  IF counted <> counts OR old_conn <> new_conn OR old_talk <> new_talk THEN
    PERFORM rep_daily_add(org_day(NEW.started_at), NEW.user_id, counts::integer - counted::integer, new_conn - old_conn, new_talk - old_talk, 0, 0, 0, 0);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER calls_count AFTER UPDATE ON calls FOR EACH ROW EXECUTE FUNCTION calls_count();--> statement-breakpoint
-- What happened before this migration, counted once.
INSERT INTO rep_daily (day, user_id, team_id, calls, connected, talk_seconds, follow_ups, stage_advances, wins, revenue)
SELECT c.day, c.user_id, u.team_id, sum(c.calls), sum(c.connected), sum(c.talk), sum(c.follow_ups), sum(c.advances), sum(c.wins), sum(c.revenue)
FROM (
  SELECT org_day(e.at) AS day, e.actor_id AS user_id, 0 AS calls, 0 AS connected, 0 AS talk, 1 AS follow_ups, 0 AS advances, 0 AS wins, 0::numeric AS revenue
    FROM lead_events e WHERE e.type = 'lead.followed_up' AND e.actor_type = 'user'
  UNION ALL SELECT org_day(e.at), coalesce(e.owner_id, e.actor_id), 0, 0, 0, 0, 1, 0, 0
    FROM lead_events e WHERE e.type = 'lead.stage_changed' AND stage_advanced(e.data->>'from', e.data->>'to')
  UNION ALL SELECT org_day(e.at), coalesce(e.owner_id, e.actor_id), 0, 0, 0, 0, 0, 1, (e.data->'deal'->>'amount')::numeric
    FROM lead_events e WHERE e.type = 'deal.won'
  UNION ALL SELECT org_day(k.started_at), k.user_id, 1, call_reached(k.outcome)::integer, CASE WHEN call_reached(k.outcome) THEN coalesce(k.duration_seconds, 0) ELSE 0 END, 0, 0, 0, 0
    FROM calls k WHERE k.ended_at IS NOT NULL AND k.provider_status IS DISTINCT FROM 'not_placed'
) c JOIN users u ON u.id = c.user_id
GROUP BY c.day, c.user_id, u.team_id;

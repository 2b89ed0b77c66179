CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"lead_id" bigint,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "recycle_no_follow_up_hours" integer;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "recycle_idle_days" integer;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "recycle_stage_idle_days" integer;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "recycle_not_won_days" integer;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "recycle_warn_hours" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "recycle_keep_amount" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "last_follow_up_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "stage_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "recycle_locked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "recycle_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "recycle_rule" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "recycle_warned_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_by_user" ON "notifications" USING btree ("user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_unread" ON "notifications" USING btree ("user_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "leads_recycle_due" ON "leads" USING btree ("recycle_due_at") WHERE "leads"."recycle_due_at" is not null;--> statement-breakpoint
-- When a held lead comes due for recycling and by which rule: the earliest of its pool's rules
-- that are on, or null when none applies (not held, won, locked by a manager, or an open deal at
-- or above the pool's keep amount). Every time is counted from the claim or assignment, so a lead
-- just taken starts afresh.
CREATE FUNCTION lead_recycle_schedule(p_pool text, p_owner text, p_stage text, p_locked boolean, p_amount numeric,
  p_claimed timestamptz, p_follow_up timestamptz, p_activity timestamptz, p_stage_changed timestamptz,
  OUT due timestamptz, OUT rule text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  policy pools%ROWTYPE;
  candidate timestamptz;
BEGIN
  IF p_owner IS NULL OR p_claimed IS NULL OR p_locked OR p_stage = 'won' THEN
    RETURN;
  END IF;
  SELECT * INTO policy FROM pools WHERE id = p_pool;
  IF NOT FOUND OR (policy.recycle_keep_amount IS NOT NULL AND p_stage <> 'lost' AND p_amount >= policy.recycle_keep_amount) THEN
    RETURN;
  END IF;
  IF policy.recycle_no_follow_up_hours IS NOT NULL AND (p_follow_up IS NULL OR p_follow_up < p_claimed) THEN
    due := p_claimed + make_interval(hours => policy.recycle_no_follow_up_hours);
    rule := 'no_follow_up';
  END IF;
  IF policy.recycle_idle_days IS NOT NULL THEN
    candidate := greatest(p_claimed, p_follow_up, p_activity) + make_interval(days => policy.recycle_idle_days);
    IF due IS NULL OR candidate < due THEN due := candidate; rule := 'idle'; END IF;
  END IF;
  IF policy.recycle_stage_idle_days IS NOT NULL THEN
    candidate := greatest(p_claimed, p_stage_changed) + make_interval(days => policy.recycle_stage_idle_days);
    IF due IS NULL OR candidate < due THEN due := candidate; rule := 'stage_idle'; END IF;
  END IF;
  IF policy.recycle_not_won_days IS NOT NULL THEN
    candidate := p_claimed + make_interval(days => policy.recycle_not_won_days);
    IF due IS NULL OR candidate < due THEN due := candidate; rule := 'not_won'; END IF;
  END IF;
END
$$;
--> statement-breakpoint
-- Keeps leads.recycle_due_at and recycle_rule right for every writer (claim, release, follow-up,
-- import, assignment): whatever changes a column the schedule reads recomputes it.
CREATE FUNCTION leads_schedule_recycle() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT s.due, s.rule INTO NEW.recycle_due_at, NEW.recycle_rule
    FROM lead_recycle_schedule(NEW.pool_id, NEW.owner_id, NEW.stage, NEW.recycle_locked, NEW.expected_amount,
      NEW.claimed_at, NEW.last_follow_up_at, NEW.last_activity_at, NEW.stage_changed_at) s;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- A lead entering the pool unheld (every import row) is never due: the insert trigger skips it.
CREATE TRIGGER leads_schedule_recycle_on_insert BEFORE INSERT ON leads
  FOR EACH ROW WHEN (NEW.owner_id IS NOT NULL) EXECUTE FUNCTION leads_schedule_recycle();
--> statement-breakpoint
CREATE TRIGGER leads_schedule_recycle_on_update BEFORE UPDATE OF owner_id, pool_id, stage, recycle_locked, expected_amount,
  claimed_at, last_follow_up_at, last_activity_at, stage_changed_at ON leads
  FOR EACH ROW EXECUTE FUNCTION leads_schedule_recycle();
--> statement-breakpoint
-- A pool's recycling policy changed: its held leads are scheduled again.
CREATE FUNCTION pool_reschedule_recycling(p_pool text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  changed integer;
BEGIN
  UPDATE leads l SET recycle_due_at = s.due, recycle_rule = s.rule
    FROM leads cur CROSS JOIN LATERAL lead_recycle_schedule(cur.pool_id, cur.owner_id, cur.stage, cur.recycle_locked,
      cur.expected_amount, cur.claimed_at, cur.last_follow_up_at, cur.last_activity_at, cur.stage_changed_at) s
    WHERE l.id = cur.id AND cur.pool_id = p_pool AND cur.owner_id IS NOT NULL
      AND (l.recycle_due_at IS DISTINCT FROM s.due OR l.recycle_rule IS DISTINCT FROM s.rule);
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

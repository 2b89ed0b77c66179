ALTER TABLE "leads" ADD COLUMN "next_follow_up_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "remind_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "remind_kind" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "remind_key" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "reminded" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "remind_unhandled_hours" integer DEFAULT 24;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "remind_stage_idle_days" jsonb DEFAULT '{"quoted":3}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "remind_follow_up_due" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "remind_care_amount" numeric(14, 2) DEFAULT 500000;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "remind_care_days" integer DEFAULT 30;--> statement-breakpoint
CREATE INDEX "leads_remind_due" ON "leads" USING btree ("remind_due_at") WHERE "leads"."remind_due_at" is not null;--> statement-breakpoint
-- The reminders read their thresholds from the one settings row: make sure it is there.
INSERT INTO "settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The next reminder a held lead comes due for: the earliest of those that are on and not yet sent
-- for their key, or null. `key` is what a reminder is about, so each is sent once per key:
--   unhandled      the claim, when no follow-up or stage change came after it (owner and team managers);
--   stage_idle     the start of the stage, counted from the claim at the earliest (team managers);
--   follow_up_due  the next follow-up a follow-up of this holding planned (owner);
--   care           the last interaction of a lead worth the care amount, won ones too (owner).
-- `p_reminded` maps kind to the epoch seconds of the key it was last sent for.
CREATE FUNCTION lead_reminder_schedule(p_owner text, p_stage text, p_amount numeric, p_claimed timestamptz,
  p_follow_up timestamptz, p_stage_changed timestamptz, p_created timestamptz, p_next_follow_up timestamptz,
  p_reminded jsonb, OUT due timestamptz, OUT kind text, OUT key timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  s settings%ROWTYPE;
  c_kind text;
  c_key timestamptz;
  c_due timestamptz;
BEGIN
  IF p_owner IS NULL OR p_claimed IS NULL THEN
    RETURN;
  END IF;
  SELECT * INTO s FROM settings WHERE id = 1;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  FOREACH c_kind IN ARRAY ARRAY['unhandled', 'stage_idle', 'follow_up_due', 'care'] LOOP
    c_key := NULL;
    IF c_kind = 'unhandled' AND s.remind_unhandled_hours IS NOT NULL AND p_stage NOT IN ('won', 'lost')
        AND (p_follow_up IS NULL OR p_follow_up < p_claimed) AND (p_stage_changed IS NULL OR p_stage_changed < p_claimed) THEN
      c_key := p_claimed;
      c_due := p_claimed + make_interval(hours => s.remind_unhandled_hours);
    ELSIF c_kind = 'stage_idle' AND p_stage NOT IN ('won', 'lost') AND s.remind_stage_idle_days ? p_stage THEN
      c_key := greatest(p_claimed, coalesce(p_stage_changed, p_created));
      c_due := c_key + make_interval(days => (s.remind_stage_idle_days->>p_stage)::integer);
    ELSIF c_kind = 'follow_up_due' AND s.remind_follow_up_due AND p_next_follow_up IS NOT NULL AND p_follow_up >= p_claimed THEN
      c_key := p_next_follow_up;
      c_due := p_next_follow_up;
    ELSIF c_kind = 'care' AND s.remind_care_days IS NOT NULL AND s.remind_care_amount IS NOT NULL AND p_stage <> 'lost'
        AND p_amount >= s.remind_care_amount THEN
      c_key := greatest(p_claimed, p_follow_up);
      c_due := c_key + make_interval(days => s.remind_care_days);
    END IF;
    IF c_key IS NOT NULL AND (p_reminded->>c_kind)::numeric IS DISTINCT FROM extract(epoch FROM c_key)
        AND (due IS NULL OR c_due < due) THEN
      due := c_due;
      kind := c_kind;
      key := c_key;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
-- Keeps leads.remind_due_at, remind_kind and remind_key right for every writer, as
-- leads_schedule_recycle does for recycling.
CREATE FUNCTION leads_schedule_reminder() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT s.due, s.kind, s.key INTO NEW.remind_due_at, NEW.remind_kind, NEW.remind_key
    FROM lead_reminder_schedule(NEW.owner_id, NEW.stage, NEW.expected_amount, NEW.claimed_at, NEW.last_follow_up_at,
      NEW.stage_changed_at, NEW.created_at, NEW.next_follow_up_at, NEW.reminded) s;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER leads_schedule_reminder_on_insert BEFORE INSERT ON leads
  FOR EACH ROW WHEN (NEW.owner_id IS NOT NULL) EXECUTE FUNCTION leads_schedule_reminder();
--> statement-breakpoint
CREATE TRIGGER leads_schedule_reminder_on_update BEFORE UPDATE OF owner_id, stage, expected_amount, claimed_at,
  last_follow_up_at, stage_changed_at, next_follow_up_at, reminded ON leads
  FOR EACH ROW EXECUTE FUNCTION leads_schedule_reminder();
--> statement-breakpoint
-- The reminder settings changed: every held lead is scheduled again (and, once, every lead held now).
CREATE FUNCTION reschedule_reminders() RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  changed integer;
BEGIN
  UPDATE leads l SET remind_due_at = s.due, remind_kind = s.kind, remind_key = s.key
    FROM leads cur CROSS JOIN LATERAL lead_reminder_schedule(cur.owner_id, cur.stage, cur.expected_amount, cur.claimed_at,
      cur.last_follow_up_at, cur.stage_changed_at, cur.created_at, cur.next_follow_up_at, cur.reminded) s
    WHERE l.id = cur.id AND cur.owner_id IS NOT NULL
      AND (l.remind_due_at IS DISTINCT FROM s.due OR l.remind_kind IS DISTINCT FROM s.kind OR l.remind_key IS DISTINCT FROM s.key);
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;
--> statement-breakpoint
SELECT reschedule_reminders();

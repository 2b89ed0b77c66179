CREATE TABLE "pool_teams" (
	"pool_id" text NOT NULL,
	"team_id" text NOT NULL,
	CONSTRAINT "pool_teams_pool_id_team_id_pk" PRIMARY KEY("pool_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "pools" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"holding_limit" integer DEFAULT 50 NOT NULL,
	"daily_claim_limit" integer,
	"reclaim_cooldown_days" integer DEFAULT 0 NOT NULL,
	"protect_new_hours" integer DEFAULT 0 NOT NULL,
	"masks_contacts" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pools_name_unique" UNIQUE("name")
);
--> statement-breakpoint
DROP INDEX "leads_pool_newest";--> statement-breakpoint
ALTER TABLE "exhibitions" ADD COLUMN "team_id" text;--> statement-breakpoint
-- The company pool takes over the organisation-wide holding limit; every existing lead is in it.
INSERT INTO "pools" ("id", "name", "holding_limit") VALUES ('company', NULL, coalesce((SELECT "holding_limit" FROM "settings" WHERE "id" = 1), 50));--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "pool_id" text DEFAULT 'company' NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL;--> statement-breakpoint
ALTER TABLE "pool_teams" ADD CONSTRAINT "pool_teams_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_teams" ADD CONSTRAINT "pool_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pools_company_is_unnamed_once" ON "pools" USING btree (("name" is null)) WHERE "pools"."name" is null;--> statement-breakpoint
ALTER TABLE "exhibitions" ADD CONSTRAINT "exhibitions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_events_claims_by_actor" ON "lead_events" USING btree ("actor_id","at") WHERE "lead_events"."type" = 'lead.claimed';--> statement-breakpoint
CREATE INDEX "leads_pool_newest" ON "leads" USING btree ("pool_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "leads"."owner_id" is null;--> statement-breakpoint
-- Holdings are counted per pool by pool_claim_gate under the rep's row lock instead of kept by a trigger.
DROP TRIGGER "leads_track_holding" ON "leads";--> statement-breakpoint
DROP FUNCTION "leads_track_holding"();--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "held_count";--> statement-breakpoint
ALTER TABLE "settings" DROP COLUMN "holding_limit";--> statement-breakpoint
-- Whether a rep may claim a pool lead now, by the lead's pool's policy: null code means yes.
-- It locks the rep's user row first and is volatile, so each count below is read after that
-- lock is held and sees every claim, release or assignment of the rep committed before it:
-- two claims of one rep at once cannot both pass a limit. The claim statement calls it, then
-- sets the owner only if the lead is still unclaimed (core/pool/pool.usecases.ts).
CREATE FUNCTION pool_claim_gate(p_lead bigint, p_user text, p_team text, p_is_admin boolean, p_now timestamptz) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  target record;
  policy pools%ROWTYPE;
  booth_team text;
  lost_at timestamptz;
  held integer;
  claimed_today integer;
  zone text;
BEGIN
  PERFORM 1 FROM users WHERE id = p_user FOR NO KEY UPDATE;
  SELECT l.owner_id, l.pool_id, l.created_at, l.exhibition_id INTO target FROM leads l WHERE l.id = p_lead;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('code', 'lead.not_found');
  END IF;
  IF target.owner_id IS NOT NULL THEN
    RETURN jsonb_build_object('code', 'pool.already_claimed');
  END IF;
  SELECT * INTO policy FROM pools WHERE id = target.pool_id;
  IF NOT p_is_admin AND EXISTS (SELECT 1 FROM pool_teams WHERE pool_id = policy.id)
     AND NOT EXISTS (SELECT 1 FROM pool_teams WHERE pool_id = policy.id AND team_id = p_team) THEN
    RETURN jsonb_build_object('code', 'pool.not_member', 'poolId', policy.id);
  END IF;
  IF policy.protect_new_hours > 0 AND target.exhibition_id IS NOT NULL
     AND p_now < target.created_at + make_interval(hours => policy.protect_new_hours) THEN
    SELECT team_id INTO booth_team FROM exhibitions WHERE id = target.exhibition_id;
    IF booth_team IS NOT NULL AND booth_team IS DISTINCT FROM p_team THEN
      RETURN jsonb_build_object('code', 'pool.protected', 'hours', policy.protect_new_hours,
        'until', target.created_at + make_interval(hours => policy.protect_new_hours));
    END IF;
  END IF;
  IF policy.reclaim_cooldown_days > 0 THEN
    SELECT max(e.at) INTO lost_at FROM lead_events e
      WHERE e.lead_id = p_lead AND e.type IN ('lead.released', 'lead.recycled') AND e.data ->> 'previousOwnerId' = p_user;
    IF lost_at IS NOT NULL AND p_now < lost_at + make_interval(days => policy.reclaim_cooldown_days) THEN
      RETURN jsonb_build_object('code', 'pool.cooldown', 'days', policy.reclaim_cooldown_days,
        'until', lost_at + make_interval(days => policy.reclaim_cooldown_days));
    END IF;
  END IF;
  SELECT count(*) INTO held FROM leads WHERE owner_id = p_user AND pool_id = policy.id;
  IF held >= policy.holding_limit THEN
    RETURN jsonb_build_object('code', 'pool.limit_reached', 'limit', policy.holding_limit, 'held', held);
  END IF;
  IF policy.daily_claim_limit IS NOT NULL THEN
    SELECT coalesce((SELECT time_zone FROM settings WHERE id = 1), 'Asia/Shanghai') INTO zone;
    SELECT count(*) INTO claimed_today FROM lead_events e
      WHERE e.type = 'lead.claimed' AND e.actor_id = p_user
        AND e.at >= date_trunc('day', p_now AT TIME ZONE zone) AT TIME ZONE zone
        AND e.data -> 'lead' ->> 'poolId' = policy.id;
    IF claimed_today >= policy.daily_claim_limit THEN
      RETURN jsonb_build_object('code', 'pool.daily_limit_reached', 'limit', policy.daily_claim_limit);
    END IF;
  END IF;
  RETURN jsonb_build_object('code', NULL);
END
$$;
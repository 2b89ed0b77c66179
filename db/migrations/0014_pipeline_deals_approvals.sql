CREATE TABLE "lost_reasons" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "lost_reasons_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"key" text,
	"name" text,
	"position" smallint NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "lost_reasons_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "pipeline_stages" (
	"key" text PRIMARY KEY NOT NULL,
	"position" smallint NOT NULL,
	"kind" text DEFAULT 'open' NOT NULL,
	"name" text,
	"requires_amount" boolean DEFAULT false NOT NULL,
	"tasks" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"lead_id" bigint NOT NULL,
	"contract_no" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"items" jsonb NOT NULL,
	"instalments" jsonb NOT NULL,
	"signed_on" date NOT NULL,
	"owner_id" text,
	"created_by" text,
	"won_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "approval_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"lead_id" bigint NOT NULL,
	"requested_by" text NOT NULL,
	"stage" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"comment" text,
	"chain" jsonb NOT NULL,
	"step" smallint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decisions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "lost_reason_id" integer;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "approval_threshold" numeric(14, 2) DEFAULT 500000;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "approval_stage" text DEFAULT 'quoted' NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "approval_chain" jsonb DEFAULT '[{"kind":"team_manager"}]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "title_key" text;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deals_one_per_lead" ON "deals" USING btree ("lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deals_by_contract_no" ON "deals" USING btree (lower("contract_no"));--> statement-breakpoint
CREATE INDEX "deals_by_won_at" ON "deals" USING btree ("won_at");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_one_pending_per_lead" ON "approval_requests" USING btree ("lead_id") WHERE "approval_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "approvals_pending" ON "approval_requests" USING btree ("created_at") WHERE "approval_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "approvals_by_lead" ON "approval_requests" USING btree ("lead_id");--> statement-breakpoint
-- The default pipeline: the built-in stages, named by the web in the reader's language until an admin renames them.
-- From a quote on a lead needs an expected amount; a quote puts two tasks on the owner's list.
INSERT INTO "pipeline_stages" ("key", "position", "kind", "requires_amount", "tasks") VALUES
  ('new', 0, 'open', false, '[]'),
  ('contacted', 1, 'open', false, '[]'),
  ('qualified', 2, 'open', false, '[]'),
  ('quoted', 3, 'open', true, '[{"preset":"send_brochure","dueDays":0},{"preset":"quote_call_back","dueDays":7}]'),
  ('negotiation', 4, 'open', true, '[]'),
  ('won', 5, 'won', true, '[]'),
  ('lost', 6, 'lost', false, '[]');--> statement-breakpoint
INSERT INTO "lost_reasons" ("key", "position") VALUES
  ('price', 0), ('competitor', 1), ('no_budget', 2), ('no_need', 3), ('unreachable', 4), ('other', 5);

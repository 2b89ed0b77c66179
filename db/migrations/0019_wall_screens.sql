CREATE TABLE "wall_screens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"team_id" text,
	"scenes" jsonb NOT NULL,
	"metric" text DEFAULT 'calls' NOT NULL,
	"rotate_seconds" integer DEFAULT 20 NOT NULL,
	"mask_names" boolean DEFAULT false NOT NULL,
	"sound" boolean DEFAULT false NOT NULL,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"token_hash" text,
	"pairing_code" text,
	"pairing_expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "wall_screens" ADD CONSTRAINT "wall_screens_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wall_screens" ADD CONSTRAINT "wall_screens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "wall_screens_by_token" ON "wall_screens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "wall_screens_by_pairing_code" ON "wall_screens" USING btree ("pairing_code") WHERE "wall_screens"."pairing_code" is not null;
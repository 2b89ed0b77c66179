CREATE TABLE "call_recordings" (
	"id" text PRIMARY KEY NOT NULL,
	"call_id" bigint NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"source" text NOT NULL,
	"uploaded_by" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "call_recordings_one_per_call" UNIQUE("call_id")
);
--> statement-breakpoint
CREATE TABLE "telephony_adapters" (
	"provider" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"url" text,
	"secret" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "logged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "provider_call_id" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "provider_status" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "provider_result_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "call_recordings" ADD CONSTRAINT "call_recordings_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_recordings" ADD CONSTRAINT "call_recordings_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calls_by_provider_call" ON "calls" USING btree ("provider","provider_call_id");--> statement-breakpoint
-- Calls ended before this migration were logged by their caller at hang-up.
UPDATE "calls" SET "logged_at" = "ended_at" WHERE "ended_at" IS NOT NULL;

-- pg_trgm ships with PostgreSQL and is loaded into PGlite by db/client.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "company_key" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "phone_ext" text;--> statement-breakpoint
CREATE INDEX "leads_by_mobile" ON "leads" USING btree ("mobile");--> statement-breakpoint
CREATE INDEX "leads_by_phone" ON "leads" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "leads_by_email" ON "leads" USING btree ("email");--> statement-breakpoint
CREATE INDEX "leads_by_company_key_trgm" ON "leads" USING gin ("company_key" gin_trgm_ops);
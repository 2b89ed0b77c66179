import { desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '../../db/client.ts';
import { leadEventTypes, webhookDeliveries, webhookKinds, webhooks, type Webhook, type WebhookDelivery } from '../../db/schema/index.ts';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { findEvent, maskEvent } from '../events/event-log.ts';
import type { LeadEvent } from '../events/lead-event.ts';
import { robotMarkdown, robotTestMarkdown } from './robot-message.ts';
import { hmacSha256, newSecret, signatureHeader, signBody } from './signing.ts';

export const webhookInput = z.strictObject({
  name: z.string().trim().min(1, 'required').max(100),
  kind: z.enum(webhookKinds),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** generic: the signing key (one is made when absent); dingtalk: the robot's 加签 secret, if any; wecom: unused. Absent on a change: kept. */
  secret: z.string().trim().min(8).max(200).nullable().optional(),
  events: z.array(z.enum(leadEventTypes)).min(1).max(leadEventTypes.length),
  enabled: z.boolean(),
});
export type WebhookInput = z.infer<typeof webhookInput>;

/** A webhook as the admin API shows it: never its secret, except right after it was made. */
export type WebhookView = Omit<Webhook, 'secret' | 'createdAt'> & { secretSet: boolean; createdAt: string };
const view = ({ secret, createdAt, ...w }: Webhook): WebhookView => ({ ...w, secretSet: secret !== null, createdAt: createdAt.toISOString() });

export type DeliveryView = Omit<WebhookDelivery, 'createdAt' | 'deliveredAt' | 'nextAttemptAt'> & { createdAt: string; deliveredAt: string | null; nextAttemptAt: string };
const deliveryView = (d: WebhookDelivery): DeliveryView => ({
  ...d,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  nextAttemptAt: d.nextAttemptAt.toISOString(),
});

export async function listWebhooks(db: Db): Promise<WebhookView[]> {
  return (await db.select().from(webhooks).orderBy(webhooks.createdAt)).map(view);
}

async function mustFind(db: Db, id: string): Promise<Webhook> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  if (!row) throw new AppError('webhooks.not_found', { id });
  return row;
}

/** Creates a webhook; a generic one without a secret gets one, shown in this answer only. */
export async function createWebhook(db: Db, input: WebhookInput): Promise<WebhookView & { secret: string | null }> {
  const secret = input.secret ?? (input.kind === 'generic' ? newSecret() : null);
  const [row] = await db.insert(webhooks).values({ ...input, secret: input.kind === 'wecom' ? null : secret }).returning();
  return { ...view(row!), secret: row!.secret };
}

export async function updateWebhook(db: Db, id: string, input: WebhookInput): Promise<WebhookView> {
  const current = await mustFind(db, id);
  const secret = input.kind === 'wecom' ? null : input.secret === undefined ? current.secret : input.secret;
  const [row] = await db.update(webhooks).set({ ...input, secret }).where(eq(webhooks.id, id)).returning();
  return view(row!);
}

export async function deleteWebhook(db: Db, id: string): Promise<void> {
  await mustFind(db, id);
  await db.delete(webhooks).where(eq(webhooks.id, id));
}

/** A webhook's deliveries, newest first. */
export async function listDeliveries(db: Db, id: string, limit = 50): Promise<DeliveryView[]> {
  await mustFind(db, id);
  const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)).orderBy(desc(webhookDeliveries.id)).limit(limit);
  return rows.map(deliveryView);
}

/** Whether any webhook is on (the app nudges the dispatcher only then). */
export async function anyWebhookEnabled(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.enabled, true)).limit(1);
  return row !== undefined;
}

const DISPATCH_BATCH = 1000;

/**
 * Turns new events of the log into deliveries for the enabled webhooks that chose their type
 * (and existed when they happened). The cursor row is locked and each delivery unique, so any
 * number of nodes may run it at once. Returns the deliveries made.
 */
export async function dispatchWebhooks(db: Db, clock: Clock): Promise<number> {
  let made = 0;
  for (;;) {
    const [step] = rowsOf<{ made: number; read: number }>(
      await db.execute(sql`with cursor as (select last_seq from webhook_cursor where id = 1 for update),
        ev as (select seq, type, at from lead_events where seq > (select last_seq from cursor) order by seq limit ${DISPATCH_BATCH}),
        made as (insert into webhook_deliveries (webhook_id, event_seq, event_type, next_attempt_at, created_at)
          select w.id, ev.seq, ev.type, ${clock.now().toISOString()}::timestamptz, ${clock.now().toISOString()}::timestamptz
          from ev join webhooks w on w.enabled and ev.type = any(w.events) and ev.at >= w.created_at
          on conflict do nothing returning id),
        moved as (update webhook_cursor set last_seq = coalesce((select max(seq) from ev), last_seq) where id = 1 returning 1)
        select (select count(*)::int from made) as made, (select count(*)::int from ev) as read, (select count(*) from moved) as moved`),
    );
    made += step?.made ?? 0;
    if (!step || step.read < DISPATCH_BATCH) return made;
  }
}

/** Attempts a delivery may take; then it is marked failed. Waits double from 30 s: 30 s, 1, 2, 4, 8, 16 min. */
export const MAX_ATTEMPTS = 7;
export const retryDelayMs = (attempt: number) => 30_000 * 2 ** (attempt - 1);
// A node that dies mid-request leaves its claim to expire after this long; then another retries.
const LEASE_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;

/** The HTTP request a delivery makes, by the webhook's kind. */
export function webhookRequest(hook: Pick<Webhook, 'kind' | 'url' | 'secret'>, deliveryId: number, event: LeadEvent | null, now: Date): { url: string; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Leadpool-Webhook/1' };
  const timestamp = String(now.getTime());
  if (hook.kind === 'generic') {
    const body = JSON.stringify(event ? { delivery: deliveryId, event } : { delivery: deliveryId, test: true });
    headers['x-leadpool-delivery'] = String(deliveryId);
    headers['x-leadpool-event'] = event?.type ?? 'test';
    // The receiver recomputes HMAC-SHA256(secret, `${t}.${body}`) and compares (and checks t is recent).
    headers[signatureHeader] = signBody(hook.secret ?? '', body, now);
    return { url: hook.url, headers, body };
  }
  const { title, text } = event ? robotMarkdown(maskEvent(event)) : robotTestMarkdown;
  if (hook.kind === 'dingtalk') {
    const url = new URL(hook.url);
    if (hook.secret) {
      // DingTalk 加签: base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)) as `sign`, with `timestamp` in ms.
      url.searchParams.set('timestamp', timestamp);
      url.searchParams.set('sign', hmacSha256(hook.secret, `${timestamp}\n${hook.secret}`).toString('base64'));
    }
    return { url: url.toString(), headers, body: JSON.stringify({ msgtype: 'markdown', markdown: { title, text } }) };
  }
  return { url: hook.url, headers, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: text } }) };
}

/** Sends one request; ok on 2xx and, for robots, `errcode: 0` in the answer. */
async function send(hook: Webhook, request: ReturnType<typeof webhookRequest>): Promise<{ ok: boolean; status: number | null; response: string }> {
  try {
    const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = (await res.text()).slice(0, 2000);
    let ok = res.ok;
    if (ok && hook.kind !== 'generic') {
      try {
        ok = (JSON.parse(text) as { errcode?: number }).errcode === 0;
      } catch {
        ok = false;
      }
    }
    return { ok, status: res.status, response: text };
  } catch (err) {
    return { ok: false, status: null, response: (err as Error).message.slice(0, 2000) };
  }
}

/** Makes one attempt of a claimed delivery and records it: delivered, due again later, or failed for good. */
async function attempt(db: Db, clock: Clock, delivery: WebhookDelivery, hook: Webhook): Promise<DeliveryView> {
  const event = delivery.eventSeq === null ? null : ((await findEvent(db, delivery.eventSeq)) ?? null);
  const now = clock.now();
  const result = await send(hook, webhookRequest(hook, delivery.id, event, now));
  const attempts = delivery.attempts;
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      responseStatus: result.status,
      response: result.response,
      ...(result.ok
        ? { status: 'delivered' as const, deliveredAt: now }
        : attempts >= MAX_ATTEMPTS || delivery.eventSeq === null
          ? { status: 'failed' as const }
          : { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) }),
    })
    .where(eq(webhookDeliveries.id, delivery.id))
    .returning();
  return deliveryView(row!);
}

/**
 * Attempts the deliveries due now (the `webhooks.deliver` job, every minute and after each
 * dispatch). Each is claimed by a short transaction that counts the attempt and leases it, so no
 * database transaction stays open during the HTTP request and two nodes never send one twice.
 */
export async function deliverDue(db: Db, clock: Clock, limit = 20): Promise<number> {
  let sent = 0;
  for (;;) {
    const now = clock.now();
    const claimed = await db.execute(sql`update webhook_deliveries d set attempts = d.attempts + 1,
        next_attempt_at = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz
      where d.id in (select id from webhook_deliveries where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
        order by next_attempt_at limit ${limit} for update skip locked)
      returning d.id`);
    const ids = rowsOf<{ id: number }>(claimed).map((r) => Number(r.id));
    if (ids.length === 0) return sent;
    const rows = await db.select({ delivery: webhookDeliveries, hook: webhooks }).from(webhookDeliveries).innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId)).where(inArray(webhookDeliveries.id, ids));
    await Promise.all(rows.map(({ delivery, hook }) => attempt(db, clock, delivery, hook)));
    sent += rows.length;
    if (ids.length < limit) return sent;
  }
}

/** Sends a test message now and logs it as a delivery; answers how it went. */
export async function testWebhook(db: Db, clock: Clock, id: string): Promise<DeliveryView> {
  const hook = await mustFind(db, id);
  const [delivery] = await db.insert(webhookDeliveries).values({ webhookId: id, eventSeq: null, eventType: 'test', attempts: 1, createdAt: clock.now() }).returning();
  return attempt(db, clock, delivery!, hook);
}


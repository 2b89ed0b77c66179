import { createHash, randomBytes, randomInt } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { teams, wallMetrics, wallScenes, wallScreens, type WallScreen } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { assertTeamsExist } from '../teams/teams.usecases.ts';
import type { Viewer } from '../viewer.ts';

/** How long a pairing code may be traded for a token. */
export const PAIRING_TTL_MS = 10 * 60_000;

export const wallScreenInput = z.strictObject({
  name: z.string().trim().min(1, 'required').max(100),
  teamId: z.string().max(100).nullable().default(null),
  // Each scene at most once, in the order they rotate.
  scenes: z
    .array(z.enum(wallScenes))
    .min(1, 'required')
    .refine((s) => new Set(s).size === s.length, 'duplicate'),
  metric: z.enum(wallMetrics).default('calls'),
  rotateSeconds: z.number().int().min(5).max(600).default(20),
  maskNames: z.boolean().default(false),
  sound: z.boolean().default(false),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type WallScreenInput = z.infer<typeof wallScreenInput>;

export const pairingInput = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'invalid') });

/** A screen as the admin page lists it: never its token or the token's hash. */
export interface WallScreenView {
  id: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  scenes: WallScreen['scenes'];
  metric: WallScreen['metric'];
  rotateSeconds: number;
  maskNames: boolean;
  sound: boolean;
  locale: WallScreen['locale'];
  /** A token was issued and not revoked: a TV may be showing it. */
  paired: boolean;
  /** The live pairing code's expiry (the code itself is shown only when asked for). */
  pairingExpiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  lastSeenAt: string | null;
}

export const hashDisplayToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** 32 random bytes, base64url: the TV's secret, carried in the URL's fragment (never sent in a request line). */
const newToken = () => randomBytes(32).toString('base64url');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const columns = { screen: wallScreens, teamName: teams.name };

function view({ screen: s, teamName }: { screen: WallScreen; teamName: string | null }, now: Date): WallScreenView {
  const pairingLive = s.pairingCode !== null && s.pairingExpiresAt !== null && s.pairingExpiresAt > now;
  return {
    id: s.id,
    name: s.name,
    teamId: s.teamId,
    teamName,
    scenes: s.scenes,
    metric: s.metric,
    rotateSeconds: s.rotateSeconds,
    maskNames: s.maskNames,
    sound: s.sound,
    locale: s.locale,
    paired: s.tokenHash !== null && s.revokedAt === null,
    pairingExpiresAt: pairingLive ? iso(s.pairingExpiresAt) : null,
    revokedAt: iso(s.revokedAt),
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: iso(s.lastSeenAt),
  };
}

async function findView(db: Db, id: string, now: Date): Promise<WallScreenView> {
  const [row] = await db.select(columns).from(wallScreens).leftJoin(teams, eq(teams.id, wallScreens.teamId)).where(eq(wallScreens.id, id));
  if (!row) throw new AppError('wall.not_found', { id });
  return view(row, now);
}

export async function listWallScreens(db: Db, now: Date): Promise<WallScreenView[]> {
  const rows = await db.select(columns).from(wallScreens).leftJoin(teams, eq(teams.id, wallScreens.teamId)).orderBy(desc(wallScreens.createdAt));
  return rows.map((r) => view(r, now));
}

export async function createWallScreen(db: Db, viewer: Viewer, input: WallScreenInput, now: Date): Promise<WallScreenView> {
  await assertTeamsExist(db, [input.teamId]);
  const [row] = await db.insert(wallScreens).values({ ...input, createdBy: viewer.id }).returning({ id: wallScreens.id });
  return findView(db, row!.id, now);
}

export async function updateWallScreen(db: Db, id: string, input: WallScreenInput, now: Date): Promise<WallScreenView> {
  await assertTeamsExist(db, [input.teamId]);
  const [row] = await db.update(wallScreens).set(input).where(eq(wallScreens.id, id)).returning({ id: wallScreens.id });
  if (!row) throw new AppError('wall.not_found', { id });
  return findView(db, id, now);
}

export async function deleteWallScreen(db: Db, id: string): Promise<void> {
  const [row] = await db.delete(wallScreens).where(eq(wallScreens.id, id)).returning({ id: wallScreens.id });
  if (!row) throw new AppError('wall.not_found', { id });
}

/** A new display token for the screen (shown once): the previous one stops working, a revocation is lifted. */
export async function issueDisplayToken(db: Db, id: string, now: Date): Promise<{ screen: WallScreenView; token: string }> {
  const token = newToken();
  const [row] = await db
    .update(wallScreens)
    .set({ tokenHash: hashDisplayToken(token), revokedAt: null, pairingCode: null, pairingExpiresAt: null })
    .where(eq(wallScreens.id, id))
    .returning({ id: wallScreens.id });
  if (!row) throw new AppError('wall.not_found', { id });
  return { screen: await findView(db, id, now), token };
}

/**
 * A 6-digit code the TV can trade for a display token within 10 minutes, once (a new code replaces
 * the last). Live codes do not collide: another screen's live code is drawn again.
 */
export async function issuePairingCode(db: Db, id: string, now: Date): Promise<{ screen: WallScreenView; code: string; expiresAt: string }> {
  const expiresAt = new Date(now.getTime() + PAIRING_TTL_MS);
  for (let attempt = 0; ; attempt++) {
    const code = String(randomInt(1_000_000)).padStart(6, '0');
    // Expired codes still hold the unique index until replaced: free this one if it is stale.
    await db.update(wallScreens).set({ pairingCode: null, pairingExpiresAt: null }).where(and(eq(wallScreens.pairingCode, code), lte(wallScreens.pairingExpiresAt, now)));
    try {
      const [row] = await db.update(wallScreens).set({ pairingCode: code, pairingExpiresAt: expiresAt }).where(eq(wallScreens.id, id)).returning({ id: wallScreens.id });
      if (!row) throw new AppError('wall.not_found', { id });
      return { screen: await findView(db, id, now), code, expiresAt: expiresAt.toISOString() };
    } catch (err) {
      if (err instanceof AppError || attempt >= 5) throw err;
    }
  }
}

/**
 * The TV traded a live pairing code: a new display token for its screen (the code is used up, a
 * previous token stops working). A wrong or expired code answers `wall.pairing_invalid`.
 */
export async function pairWallScreen(db: Db, code: string, now: Date): Promise<{ token: string; screenId: string }> {
  const token = newToken();
  const [row] = await db
    .update(wallScreens)
    .set({ tokenHash: hashDisplayToken(token), revokedAt: null, pairingCode: null, pairingExpiresAt: null })
    .where(and(eq(wallScreens.pairingCode, code), gt(wallScreens.pairingExpiresAt, now)))
    .returning({ id: wallScreens.id });
  if (!row) throw new AppError('wall.pairing_invalid');
  return { token, screenId: row.id };
}

/** Revokes the screen's token at once (the TV shows the pairing page); a new token or pairing brings it back. */
export async function revokeWallScreen(db: Db, id: string, now: Date): Promise<WallScreenView> {
  // Revoked again: the first revocation's time stays.
  await db
    .update(wallScreens)
    .set({ revokedAt: now, pairingCode: null, pairingExpiresAt: null })
    .where(and(eq(wallScreens.id, id), isNull(wallScreens.revokedAt)));
  return findView(db, id, now);
}

/** The screen a display token belongs to (its visit noted), or `wall.unauthenticated` / `wall.revoked`. */
export async function authenticateDisplay(db: Db, token: string | undefined, now: Date): Promise<WallScreen> {
  if (!token || token.length > 200) throw new AppError('wall.unauthenticated');
  const [screen] = await db.update(wallScreens).set({ lastSeenAt: now }).where(eq(wallScreens.tokenHash, hashDisplayToken(token))).returning();
  if (!screen) throw new AppError('wall.unauthenticated');
  if (screen.revokedAt !== null) throw new AppError('wall.revoked');
  return screen;
}

/** The live (not revoked) screens among `ids`, as they are configured now. */
export async function liveScreens(db: Db, ids: string[]): Promise<WallScreen[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(wallScreens)
    .where(and(inArray(wallScreens.id, ids), isNull(wallScreens.revokedAt)));
}

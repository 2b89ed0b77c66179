import { createHash, randomInt } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { apiKeys, users, type ApiKey } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { Viewer } from '../viewer.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 40 base62 characters: about 238 bits, unguessable. */
const SECRET_LENGTH = 40;
/** `lp_` and the first characters, shown so people can tell their keys apart. */
const PREFIX_LENGTH = 10;

export const apiKeyInput = z.strictObject({ name: z.string().trim().min(1, 'required').max(100) });

/** An API key as the admin page lists it: never the secret, never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdByName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const hashApiKey = (secret: string) => createHash('sha256').update(secret).digest('hex');

function newSecret(): string {
  let secret = 'lp_';
  for (let i = 0; i < SECRET_LENGTH; i++) secret += BASE62[randomInt(BASE62.length)];
  return secret;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const columns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  createdByName: users.name,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};
type Row = { [K in keyof typeof columns]: K extends 'createdByName' ? string | null : ApiKey[K & keyof ApiKey] };
const view = (r: Row): ApiKeyView => ({ ...r, createdAt: r.createdAt.toISOString(), lastUsedAt: iso(r.lastUsedAt), revokedAt: iso(r.revokedAt) });

async function findView(db: Db, id: string): Promise<ApiKeyView> {
  const [row] = await db.select(columns).from(apiKeys).leftJoin(users, eq(users.id, apiKeys.createdBy)).where(eq(apiKeys.id, id));
  if (!row) throw new AppError('api_key.not_found', { id });
  return view(row);
}

export async function listApiKeys(db: Db): Promise<ApiKeyView[]> {
  const rows = await db.select(columns).from(apiKeys).leftJoin(users, eq(users.id, apiKeys.createdBy)).orderBy(desc(apiKeys.createdAt));
  return rows.map(view);
}

/** Creates a key; the secret is in this answer only (the database keeps its SHA-256). */
export async function createApiKey(db: Db, viewer: Viewer, input: z.infer<typeof apiKeyInput>): Promise<{ apiKey: ApiKeyView; secret: string }> {
  const secret = newSecret();
  const [row] = await db
    .insert(apiKeys)
    .values({ name: input.name, prefix: secret.slice(0, PREFIX_LENGTH), keyHash: hashApiKey(secret), createdBy: viewer.id })
    .returning({ id: apiKeys.id });
  return { apiKey: await findView(db, row!.id), secret };
}

/** Revokes a key for good (again: no change). */
export async function revokeApiKey(db: Db, id: string): Promise<ApiKeyView> {
  await db.update(apiKeys).set({ revokedAt: new Date() }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  return findView(db, id);
}

/** The live key with this secret (its use recorded), or `api_key.invalid` / `api_key.revoked`. */
export async function authenticateApiKey(db: Db, secret: string | undefined): Promise<ApiKey> {
  if (!secret) throw new AppError('api_key.invalid');
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(secret)));
  if (!key) throw new AppError('api_key.invalid');
  if (key.revokedAt) throw new AppError('api_key.revoked', { revokedAt: key.revokedAt.toISOString() });
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, key.id));
  return key;
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { fillPlaceholders, sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import lockfile from 'proper-lockfile';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

/** The driver-neutral database handle every repository takes (a transaction is one too). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  engine: Engine;
  /** The raw PGlite instance (embedded engine only); pg-boss runs on it. */
  pglite?: PGlite;
  close(): Promise<void>;
}

// The duplicate check's company similarity (PostgreSQL has it built in).
const extensions = { pg_trgm };

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export class DataDirLockedError extends Error {
  readonly dataDir: string;
  constructor(dataDir: string) {
    super(`The data folder ${dataDir} is in use by another Leadpool process. Stop it first, or set DATA_DIR to another folder.`);
    this.dataDir = dataDir;
  }
}

/**
 * Opens PostgreSQL when `url` is given, otherwise PGlite in `dataDir` (created if missing),
 * holding an exclusive lock on it: PGlite has none, and two processes on one folder corrupt it.
 */
export async function openDatabase(opts: { url?: string; dataDir?: string; inMemory?: boolean; poolSize?: number }): Promise<Database> {
  if (opts.url) {
    const client = postgres(opts.url, { max: opts.poolSize ?? 20, onnotice: () => {} });
    return {
      db: drizzlePostgres(client, { schema, casing: 'snake_case' }),
      engine: 'postgres',
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (opts.inMemory) {
    // Tests: a throw-away embedded database, nothing on disk to lock.
    const pglite = await PGlite.create({ extensions });
    return { db: drizzlePglite(pglite, { schema, casing: 'snake_case' }) as unknown as Db, engine: 'pglite', pglite, close: () => pglite.close() };
  }
  const dataDir = path.resolve(opts.dataDir ?? 'data');
  mkdirSync(dataDir, { recursive: true });
  const release = await lockDataDir(dataDir);
  const pglite = await PGlite.create({ dataDir: path.join(dataDir, 'pglite'), extensions });
  return {
    db: drizzlePglite(pglite, { schema, casing: 'snake_case' }) as unknown as Db,
    engine: 'pglite',
    pglite,
    close: async () => {
      await pglite.close();
      await release();
    },
  };
}

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  // A live holder refreshes the lock every second; a killed one's lock goes stale after 5 s and is taken over.
  const options = {
    lockfilePath: path.join(dataDir, 'leadpool.lock'),
    stale: 5_000,
    update: 1_000,
    onCompromised: (err: Error) => {
      console.error(`Lost the lock on ${dataDir}: ${err.message}. Stopping to protect the data.`);
      process.exit(1);
    },
  };
  try {
    return await lockfile.lock(dataDir, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
  }
  console.warn(`${dataDir} is locked; waiting a few seconds in case its holder was killed...`);
  try {
    return await lockfile.lock(dataDir, { ...options, retries: { retries: 7, minTimeout: 1_000, maxTimeout: 1_000 } });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw err;
  }
}

/** Applies the committed migrations (idempotent). */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.engine === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder });
  } else {
    await migratePostgres(database.db as never, { migrationsFolder });
  }
}

/** Rows of a raw `execute()`: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * A list as one SQL array parameter (for `= any(...)` in raw SQL), the same on both drivers: an array
 * literal with every element quoted, cast to `type`.
 */
export function sqlArray(values: readonly (string | number)[], type: 'text' | 'bigint'): SQL {
  const literal = `{${values.map((v) => `"${String(v).replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
  return sql`${literal}::${sql.raw(type)}[]`;
}

const dialect = new PgDialect();
type RawClient = Partial<postgres.Sql> & Partial<Pick<PGlite, 'query'>>;
const rawClientOf = (db: Db) => (db as { $client?: RawClient }).$client;

async function runRaw<T>(client: RawClient, text: string, params: unknown[]): Promise<T[]> {
  if (client.unsafe) return (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
  return (await client.query!<T>(text, params)).rows;
}

/**
 * Runs a raw statement as a prepared statement on PostgreSQL. Drizzle's `execute` never prepares,
 * so postgres.js first spends a round trip describing each statement with parameters, and the
 * server parses and plans it every time. Inside a transaction it is a plain `execute`.
 */
export async function executePrepared<T>(db: Db, query: SQL): Promise<T[]> {
  const client = rawClientOf(db);
  if (!client) return rowsOf<T>(await db.execute(query));
  const { sql: text, params } = dialect.sqlToQuery(query);
  return runRaw<T>(client, text, params);
}

/**
 * A statement for the hottest paths: rendered to SQL text once, with `sql.placeholder(name)` for
 * its values, and prepared on PostgreSQL. It runs on the database handle, not in a transaction:
 * it is a transaction of its own.
 */
export function preparedStatement<T, Values extends Record<string, unknown>>(query: SQL) {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return (db: Db, values: Values): Promise<T[]> => {
    const client = rawClientOf(db);
    if (!client) throw new Error('a prepared statement runs on the database handle, not in a transaction');
    return runRaw<T>(client, text, fillPlaceholders(params, values));
  };
}

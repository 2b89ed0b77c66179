import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where recordings' bytes live, by a key the server generated (never a name a user chose).
 * The disk is the default; an object store (S3, OSS) would implement the same four calls.
 */
export interface RecordingStorage {
  /** Stores `body` under `key`, all or nothing: when `body` throws, nothing stays behind and the error passes on. */
  write(key: string, body: AsyncIterable<Uint8Array>): Promise<void>;
  /** The stored size in bytes, or null when there is nothing under `key`. */
  size(key: string): Promise<number | null>;
  /** The bytes from `start` to `end` (inclusive), or all of them. */
  read(key: string, range?: { start: number; end: number }): ReadableStream<Uint8Array>;
  remove(key: string): Promise<void>;
}

// Keys are UUIDs: nothing a path could be built from.
const keyPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Recordings as files in one folder (RECORDINGS_DIR), written to a temporary name and renamed when complete. */
export class DiskRecordingStorage implements RecordingStorage {
  readonly dir: string;
  #ready: Promise<unknown> | undefined;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  #file(key: string): string {
    if (!keyPattern.test(key)) throw new Error(`not a recording key: ${key}`);
    return path.join(this.dir, key);
  }

  async write(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const file = this.#file(key);
    this.#ready ??= mkdir(this.dir, { recursive: true });
    await this.#ready;
    const partial = `${file}.part`;
    try {
      await pipeline(Readable.from(body), createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, file);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.#file(key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  read(key: string, range?: { start: number; end: number }): ReadableStream<Uint8Array> {
    return Readable.toWeb(createReadStream(this.#file(key), range)) as ReadableStream<Uint8Array>;
  }

  async remove(key: string): Promise<void> {
    await rm(this.#file(key), { force: true });
  }
}

import { fileTypeFromBuffer } from 'file-type';
import type { RecordingType } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { RecordingStorage } from './recording-storage.ts';

// What file-type reads to tell most formats apart (its own "reasonable detection size").
const HEAD_BYTES = 4100;

// MP4 audio comes as an M4A brand, or (from many phone recorders) a plain isom/mp42 MP4.
const accepted: Record<string, RecordingType> = { mp3: 'audio/mpeg', m4a: 'audio/mp4', mp4: 'audio/mp4', wav: 'audio/wav' };

/** What a file's first bytes say it is, when it is audio we keep: mp3, m4a (MP4 audio) or wav; otherwise null. */
export async function audioTypeOf(head: Uint8Array): Promise<RecordingType | null> {
  const found = await fileTypeFromBuffer(head);
  return (found && accepted[found.ext]) ?? null;
}

export interface StoredAudio {
  contentType: RecordingType;
  sizeBytes: number;
}

/**
 * Streams `source` into `storage` under `key`: its type is checked from its first bytes before any
 * is written, and it stops at `maxBytes`. Nothing stays stored when it throws `recording.empty`,
 * `recording.unsupported_type` (415) or `recording.too_large` (413).
 */
export async function storeAudio(storage: RecordingStorage, key: string, source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredAudio> {
  let contentType: RecordingType | null = null;
  let sizeBytes = 0;
  async function* checked(): AsyncGenerator<Uint8Array> {
    let head: Uint8Array[] = [];
    let headBytes = 0;
    const release = async function* () {
      const bytes = Buffer.concat(head);
      head = [];
      contentType = await audioTypeOf(bytes);
      if (!contentType) throw new AppError('recording.unsupported_type');
      yield bytes;
    };
    for await (const chunk of source) {
      sizeBytes += chunk.byteLength;
      if (sizeBytes > maxBytes) throw new AppError('recording.too_large', { maxBytes });
      if (contentType) {
        yield chunk;
        continue;
      }
      head.push(chunk);
      headBytes += chunk.byteLength;
      if (headBytes >= HEAD_BYTES) yield* release();
    }
    if (sizeBytes === 0) throw new AppError('recording.empty');
    if (!contentType) yield* release();
  }
  await storage.write(key, checked());
  return { contentType: contentType!, sizeBytes };
}

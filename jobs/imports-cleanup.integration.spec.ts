import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../db/client.ts';
import { importChunks, importJobs, type ImportJob } from '../db/schema/index.ts';
import { engines, useTestDatabase } from '../test/harness.ts';
import { cleanupImports } from './imports-cleanup.job.ts';

describe.each(engines)('imports cleanup on %s', (engine) => {
  const opened = useTestDatabase(engine);

  it('drops uploads cut off mid-read and uploads never started, with their staged rows; keeps the rest', async () => {
    const upload = async (fileName: string, status: ImportJob['status'], hoursAgo: number) => {
      const [job] = await opened().db
        .insert(importJobs)
        .values({ fileName, fileSha256: fileName, format: 'csv', status, createdAt: new Date(Date.now() - hoursAgo * 3_600_000) })
        .returning();
      await opened().db.insert(importChunks).values({ jobId: job!.id, firstRow: 2, rows: [{ rowNo: 2, cells: ['华信机械'] }] });
    };
    await upload('cut-off', 'reading', 2);
    await upload('reading-now', 'reading', 0.5);
    await upload('forgotten', 'uploaded', 8 * 24);
    await upload('waiting', 'uploaded', 6 * 24);
    await upload('old-but-done', 'done', 30 * 24);
    expect(await cleanupImports(opened().db)).toBe(2);
    const left = await opened().db.select({ name: importJobs.fileName }).from(importJobs).orderBy(importJobs.fileName);
    expect(left.map((j) => j.name)).toEqual(['old-but-done', 'reading-now', 'waiting']);
    const [chunks] = rowsOf<{ n: number }>(await opened().db.execute(sql`select count(*)::int as n from import_chunks`));
    expect(Number(chunks!.n)).toBe(3);
    expect(await cleanupImports(opened().db)).toBe(0);
  });
});

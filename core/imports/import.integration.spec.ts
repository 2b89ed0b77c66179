import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { engines, useTestDatabase } from '../../test/harness.ts';
import type { StoredEvent } from '../events/lead-event.ts';
import { systemClock } from '../clock.ts';
import type { Viewer } from '../viewer.ts';
import { getImport, runImport, startImport, uploadImport, type ImportContext } from './import.usecases.ts';

describe.each(engines)('an import job on %s', (engine) => {
  const opened = useTestDatabase(engine);
  const viewer: Viewer = { id: crypto.randomUUID(), name: '导入管理员', role: 'admin', teamId: null, pools: [] };

  beforeAll(async () => {
    await opened().db.insert(users).values({ id: viewer.id, name: viewer.name, email: `import-${viewer.id}@test.local`, role: 'admin' });
  });

  const count = async (query: ReturnType<typeof sql>) => Number(rowsOf<{ n: number }>(await opened().db.execute(query))[0]!.n);

  it('resumes after a crash between batches without creating anything twice, and announces each batch once', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const lines = ['公司名称,手机', ...Array.from({ length: 5 }, (_, i) => `恢复${tag}${i}有限公司,1390000${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}${i}`)];
    const published: StoredEvent[] = [];
    const advanced: number[] = [];
    let progressCalls = 0;
    let crashAfter = 2;
    const ctx: ImportContext = {
      db: opened().db,
      clock: systemClock,
      events: { publish: (events) => published.push(...events) },
      userChanged: () => {},
      notifications: { notify: () => {}, readChanged: () => {} },
      enqueueImport: async () => {},
      importNotifier: {
        // The first call says "running"; the second follows the first committed batch: crash there, once.
        progress: () => {
          if (++progressCalls === crashAfter) throw new Error('node died');
        },
        logAdvanced: (seq) => advanced.push(seq),
      },
    };
    const uploaded = await uploadImport(opened().db, viewer, { name: 'resume.csv', bytes: new TextEncoder().encode(lines.join('\n')) });
    await startImport(ctx, viewer, uploaded.job.id, { mapping: uploaded.suggestedMapping, onDuplicate: 'skip' });

    await expect(runImport(ctx, uploaded.job.id, { batchSize: 2 })).rejects.toThrow('node died');
    expect(await getImport(opened().db, viewer, uploaded.job.id)).toMatchObject({ status: 'running', processedRows: 2, createdCount: 2 });

    crashAfter = -1;
    await runImport(ctx, uploaded.job.id, { batchSize: 2 });
    expect(await getImport(opened().db, viewer, uploaded.job.id)).toMatchObject({ status: 'done', processedRows: 5, createdCount: 5 });
    expect(await count(sql`select count(*)::int as n from leads where company like ${`恢复${tag}%`}`)).toBe(5);
    expect(await count(sql`select count(*)::int as n from import_rows where job_id = ${uploaded.job.id}`)).toBe(5);
    // One lead.created per lead in the log, none pushed one by one: screens are told the log advanced, per batch.
    expect(await count(sql`select count(*)::int as n from lead_events e join leads l on l.id = e.lead_id where l.company like ${`恢复${tag}%`} and e.type = 'lead.created'`)).toBe(5);
    expect(published).toEqual([]);
    expect(advanced).toHaveLength(3);

    // The staged rows went with the finished import; the report stays.
    expect(await count(sql`select count(*)::int as n from import_chunks where job_id = ${uploaded.job.id}`)).toBe(0);

    // Run again (a duplicate delivery of the job): nothing happens.
    await runImport(ctx, uploaded.job.id, { batchSize: 2 });
    expect(await count(sql`select count(*)::int as n from leads where company like ${`恢复${tag}%`}`)).toBe(5);
  });

  it('ends as interrupted, not running for ever, when the last attempt the queue allows fails too', async () => {
    const t = Math.random().toString(36).slice(2, 8);
    const ctx: ImportContext = {
      db: opened().db,
      clock: systemClock,
      events: { publish: () => {} },
      userChanged: () => {},
      notifications: { notify: () => {}, readChanged: () => {} },
      enqueueImport: async () => {},
      importNotifier: {
        progress: (_, job) => {
          if (job.processedRows > 0 && job.status === 'running') throw new Error('connection lost');
        },
        logAdvanced: () => {},
      },
    };
    const csv = ['公司名称', ...Array.from({ length: 3 }, (_, i) => `中断${t}${i}有限公司`)].join('\n');
    const uploaded = await uploadImport(opened().db, viewer, { name: 'interrupted.csv', bytes: new TextEncoder().encode(csv) });
    await startImport(ctx, viewer, uploaded.job.id, { mapping: uploaded.suggestedMapping, onDuplicate: 'skip' });
    await expect(runImport(ctx, uploaded.job.id, { batchSize: 2 })).rejects.toThrow('connection lost');
    expect(await getImport(opened().db, viewer, uploaded.job.id)).toMatchObject({ status: 'running' });
    await expect(runImport(ctx, uploaded.job.id, { batchSize: 2, lastAttempt: true })).rejects.toThrow('connection lost');
    expect(await getImport(opened().db, viewer, uploaded.job.id)).toMatchObject({ status: 'failed', error: { code: 'import.interrupted' }, processedRows: 2 });
    expect(await count(sql`select count(*)::int as n from import_chunks where job_id = ${uploaded.job.id}`)).toBe(0);
  });

  it('leaves nothing behind when a file breaks after rows were already staged', async () => {
    const chunksBefore = await count(sql`select count(*)::int as n from import_chunks`);
    // More good rows than one chunk holds, then a row far too wide.
    const lines = ['公司名称,手机', ...Array.from({ length: 2_500 }, (_, i) => `分块${i}有限公司,`), `${'x,'.repeat(500)}x`];
    await expect(uploadImport(opened().db, viewer, { name: 'late-break.csv', bytes: new TextEncoder().encode(lines.join('\n')) })).rejects.toMatchObject({
      code: 'import.too_many_columns',
    });
    expect(await count(sql`select count(*)::int as n from import_jobs where file_name = 'late-break.csv'`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from import_chunks`)).toBe(chunksBefore);
  });
});

import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import {
  getImport,
  importReportCsv,
  importTemplate,
  listImports,
  previewImport,
  previewImportInput,
  startImport,
  startImportInput,
  uploadImport,
} from '../core/imports/import.usecases.ts';
import { attachment } from '../core/csv.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().min(1).max(100) });
const langQuery = z.object({ lang: z.enum(['zh-CN', 'en']).default('zh-CN') });
// Importing is a back-office task: admins and managers (who bring their team's trade-show lists) may; reps enter leads one by one.
const importers = allow('manager', 'admin');


export const importsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .use(importers)
    .get('/template', describeRoute({ tags: ['imports'], summary: 'The import template (.xlsx) with headers in the chosen language' }), validate('query', langQuery), async (c) => {
      const { lang } = c.req.valid('query');
      const bytes = await importTemplate(deps.db, lang);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': attachment(lang === 'zh-CN' ? '线索导入模板.xlsx' : 'lead-import-template.xlsx'),
      });
    })
    .get('/', describeRoute({ tags: ['imports'], summary: 'Recent imports' }), async (c) => c.json({ items: await listImports(deps.db, c.get('viewer')) }, 200))
    .post('/', describeRoute({ tags: ['imports'], summary: 'Upload an .xlsx or .csv file (multipart field `file`); a broken file is refused whole' }), async (c) => {
      const body = await c.req.parseBody().catch(() => {
        throw new AppError('import.no_file');
      });
      const file = body.file;
      if (!(file instanceof File)) throw new AppError('import.no_file');
      const uploaded = await uploadImport(deps.db, c.get('viewer'), { name: file.name || 'upload', bytes: new Uint8Array(await file.arrayBuffer()) });
      return c.json(uploaded, 201);
    })
    .get('/:id', describeRoute({ tags: ['imports'], summary: 'An import: status, progress and counts' }), validate('param', idParam), async (c) => {
      return c.json({ job: await getImport(deps.db, c.get('viewer'), c.req.valid('param').id) }, 200);
    })
    .post(
      '/:id/preview',
      describeRoute({ tags: ['imports'], summary: 'The first rows with the mapping and cleaning applied, their errors and duplicates' }),
      validate('param', idParam),
      validate('json', previewImportInput),
      async (c) => c.json({ rows: await previewImport(deps.db, c.get('viewer'), c.req.valid('param').id, c.req.valid('json').mapping) }, 200),
    )
    .post(
      '/:id/start',
      describeRoute({ tags: ['imports'], summary: 'Start the import in the background; progress arrives on the socket (import.progress)' }),
      validate('param', idParam),
      validate('json', startImportInput),
      async (c) => c.json({ job: await startImport(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')) }, 202),
    )
    .get(
      '/:id/report',
      describeRoute({ tags: ['imports'], summary: 'The per-row report as CSV: created, duplicate of lead N (skipped or merged), rejected with the reason' }),
      validate('param', idParam),
      validate('query', langQuery),
      async (c) => {
        const { id } = c.req.valid('param');
        const job = await getImport(deps.db, c.get('viewer'), id);
        const rows = importReportCsv(deps.db, c.get('viewer'), id, c.req.valid('query').lang);
        c.header('content-type', 'text/csv; charset=utf-8');
        c.header('content-disposition', attachment(`${job.fileName.replace(/\.[^.]+$/, '')}-report.csv`));
        return stream(c, async (s) => {
          for await (const chunk of rows) await s.write(chunk);
        });
      },
    );

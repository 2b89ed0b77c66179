import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, engines, freshMobile, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';

const tag = () => Math.random().toString(36).slice(2, 8);

async function xlsx(rows: unknown[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('线索');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n');

async function upload(client: ApiClient, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  const res = await fetch(new URL('/api/imports', client.baseUrl), { method: 'POST', headers: { cookie: client.cookie!, origin: client.baseUrl }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function importFile(client: ApiClient, name: string, bytes: Uint8Array, options: { onDuplicate?: 'skip' | 'merge'; exhibitionId?: string } = {}) {
  const uploaded = await upload(client, name, bytes);
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const started = await client.post(`/api/imports/${uploaded.body.job.id}/start`, { mapping: uploaded.body.suggestedMapping, ...options });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  for (let i = 0; i < 200; i++) {
    const { body } = await client.get(`/api/imports/${uploaded.body.job.id}`);
    if (body.job.status === 'done' || body.job.status === 'failed') return { uploaded: uploaded.body, job: body.job };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

async function report(client: ApiClient, id: string) {
  const res = await fetch(new URL(`/api/imports/${id}/report?lang=en`, client.baseUrl), { headers: { cookie: client.cookie! } });
  expect(res.headers.get('content-type')).toContain('text/csv');
  return (parseCsv(await res.text(), { bom: true }) as string[][]).slice(1);
}

describe.each(engines)('imports on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep: ApiClient;
  const poolTotal = async () => (await admin.get('/api/pool?limit=1')).body.total as number;

  beforeAll(async () => {
    server = await startTestServer(engine, { server: { jobs: true } });
    [admin, rep] = await signInAll(server, ['admin', 'rep1']);
  });
  afterAll(() => server?.close());

  it('imports an xlsx: new leads, duplicates of existing leads and within the file, rejected rows with reasons; again, nothing new', async () => {
    const existing = await createPoolLead(admin, {});
    const t = tag();
    const mobile = freshMobile();
    const bytes = await xlsx([
      ['公司名称', '联系人', '手机', '电话', '邮箱', '省份', '城市', '行业'],
      [`济南${t}重工有限公司`, '李娜', `+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`, '（0531）8888-6666 转 123', `li.${t}@jnzg.cn`, '山东省', '济南市', '机械设备'],
      [`${t}重工公司`, '王强', null, null, null, null, null, null],
      [`青岛${t}电子有限公司`, '赵敏', null, null, `LI.${t}@JNZG.CN`, null, null, null],
      [`宁波${t}模具有限公司`, '孙丽', `0086-${existing.mobile!.replace('+86', '')}`, null, null, null, null, null],
      [`武汉${t}光电有限公司`, '周杰', '12345', null, 'not-an-email', null, null, null],
      [null, '无名', freshMobile(), null, null, null, null, null],
    ]);
    const before = await poolTotal();
    const { uploaded, job } = await importFile(admin, 'leads.xlsx', bytes);
    expect(uploaded.suggestedMapping).toEqual({ 0: 'company', 1: 'contactName', 2: 'mobile', 3: 'phone', 4: 'email', 5: 'province', 6: 'city', 7: 'industry' });
    expect(job).toMatchObject({ status: 'done', totalRows: 6, processedRows: 6, createdCount: 1, duplicateCount: 3, rejectedCount: 2 });
    expect(await poolTotal()).toBe(before + 1);

    const rows = await report(admin, job.id);
    const created = rows.find((r) => r[0] === '2')!;
    expect(created[1]).toBe('created');
    expect(rows.filter((r) => r[0] !== '2').map((r) => [r[0], r[1], r[3], r[4]])).toEqual([
      ['3', 'duplicate, skipped', created[2], 'company'],
      ['4', 'duplicate, skipped', created[2], 'email'],
      ['5', 'duplicate, skipped', String(existing.id), 'mobile'],
      ['6', 'rejected', '', expect.stringMatching(/^(?=.*mobile: invalid_mobile)(?=.*email: invalid_email)/)],
      ['7', 'rejected', '', 'company: required'],
    ]);
    // A duplicate names the existing lead: company, owner (the pool here) and stage.
    expect(rows.find((r) => r[0] === '5')!.slice(5)).toEqual([existing.company, 'pool', 'New']);
    expect(rows.find((r) => r[0] === '7')!.slice(5)).toEqual(['', '', '']);
    const lead = (await admin.get(`/api/leads/${created[2]}`)).body.lead;
    expect(lead).toMatchObject({ mobile: `+86${mobile}`, phone: '+8653188886666', phoneExt: '123', email: `li.${t}@jnzg.cn`, sourceChannel: 'import' });

    const again = await importFile(admin, 'leads-again.xlsx', bytes);
    expect(again.uploaded.previousImport).toMatchObject({ id: job.id });
    expect(again.job).toMatchObject({ status: 'done', createdCount: 0, duplicateCount: 4, rejectedCount: 2 });
    expect(await poolTotal()).toBe(before + 1);
  });

  it('previews the first rows with the cleaning applied: errors, duplicates of leads and of earlier rows; writes nothing', async () => {
    const existing = await createPoolLead(admin, {});
    const t = tag();
    const bytes = await xlsx([
      ['Company', 'Mobile', 'E-mail'],
      [`Preview ${t} Co., Ltd.`, `0086 ${existing.mobile!.slice(3)}`, null],
      [`烟台${t}机械有限公司`, null, ` Sun.${t}@YT.CN `],
      [`${t}机械公司`, 'call me', null],
      [`${t}机械（山东）有限公司`, null, null],
    ]);
    const before = await poolTotal();
    const uploaded = await upload(admin, 'preview.xlsx', bytes);
    const res = await admin.post(`/api/imports/${uploaded.body.job.id}/preview`, { mapping: uploaded.body.suggestedMapping });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      expect.objectContaining({ rowNo: 2, duplicateOf: expect.objectContaining({ leadId: existing.id, reasons: ['mobile'] }) }),
      expect.objectContaining({ rowNo: 3, lead: expect.objectContaining({ email: `sun.${t}@yt.cn` }), duplicateOf: null, duplicateOfRow: null }),
      expect.objectContaining({ rowNo: 4, lead: null, errors: { mobile: ['invalid_mobile'] } }),
      expect.objectContaining({ rowNo: 5, duplicateOfRow: 3 }),
    ]);
    const unmapped = await admin.post(`/api/imports/${uploaded.body.job.id}/preview`, { mapping: { 1: 'mobile' } });
    expect([unmapped.status, unmapped.body.error.details.fields.mapping]).toEqual([422, ['company_not_mapped']]);
    expect(await poolTotal()).toBe(before);
  });

  it('reads a GBK CSV as Chinese Excel saves it, and merges duplicates when asked', async () => {
    const t = tag();
    const existing = await createPoolLead(admin, { contactName: undefined, title: undefined });
    const text = csv([
      ['企业名称', '姓名', '职务', '手机号码', '电子邮箱'],
      [`佛山${t}陶瓷有限公司`, '陈晓', '总经理', freshMobile(), `chen@${t}.cn`],
      [existing.company, '刘洋', '采购主管', '', ''],
    ]);
    const bytes = new Uint8Array(iconv.encode(text, 'gbk'));
    const { uploaded, job } = await importFile(admin, '客户.csv', bytes, { onDuplicate: 'merge' });
    expect(uploaded.job.encoding).toBe('gb18030');
    expect(uploaded.headers).toEqual(['企业名称', '姓名', '职务', '手机号码', '电子邮箱']);
    expect(job).toMatchObject({ status: 'done', createdCount: 1, mergedCount: 1 });
    const merged = (await admin.get(`/api/leads/${existing.id}`)).body.lead;
    expect(merged).toMatchObject({ contactName: '刘洋', title: '采购主管' });
    // What the merge filled in is in the lead's timeline, with who imported it.
    const events = (await admin.get(`/api/leads/${existing.id}/events`)).body.events as { type: string; actor: { name: string }; data: { changes?: unknown } }[];
    expect(events.at(-1)).toMatchObject({
      type: 'lead.updated',
      actor: { name: admin.user!.name },
      data: { changes: { fields: [{ field: 'contactName', from: null, to: '刘洋' }, { field: 'title', from: null, to: '采购主管' }] } },
    });
  });

  it('files every row under the exhibition the importer chose; an unknown one is refused', async () => {
    const show = await admin.post('/api/exhibitions', { name: `青岛机床展${tag()}`, city: '青岛', startsOn: '2026-05-01', endsOn: '2026-05-03', cost: 80000 });
    expect(show.status).toBe(201);
    const bytes = new TextEncoder().encode(`公司名称,手机\r\n展会${tag()}有限公司,${freshMobile()}\r\n`);
    const uploaded = await upload(admin, 'show.csv', bytes);
    const refused = await admin.post(`/api/imports/${uploaded.body.job.id}/start`, { mapping: uploaded.body.suggestedMapping, exhibitionId: 'nope' });
    expect([refused.status, refused.body.error.details.fields]).toEqual([422, { exhibitionId: ['unknown_exhibition'] }]);
    const { job } = await importFile(admin, 'show.csv', bytes, { exhibitionId: show.body.exhibition.id });
    const [row] = await report(admin, job.id);
    expect((await admin.get(`/api/leads/${row![2]}`)).body.lead).toMatchObject({ exhibitionId: show.body.exhibition.id, sourceChannel: 'exhibition' });
  });

  it('round-trips the template in both languages', async () => {
    const liveFields = ((await admin.get('/api/custom-fields')).body.items as { archivedAt: string | null }[]).filter((f) => f.archivedAt === null).length;
    for (const lang of ['zh-CN', 'en'] as const) {
      const res = await fetch(new URL(`/api/imports/template?lang=${lang}`, admin.baseUrl), { headers: { cookie: admin.cookie! } });
      expect(res.status).toBe(200);
      const template = new Uint8Array(await res.arrayBuffer());
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(template as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      // The example row becomes a real (unique) lead.
      sheet.getRow(2).getCell(1).value = `${lang}-${tag()} Template Co., Ltd.`;
      sheet.getRow(2).getCell(4).value = freshMobile();
      sheet.getRow(2).getCell(5).value = null;
      sheet.getRow(2).getCell(6).value = `${tag()}@example.com`;
      const { uploaded, job } = await importFile(admin, `template-${lang}.xlsx`, new Uint8Array(await workbook.xlsx.writeBuffer()));
      // Every standard column and every live custom field is recognised.
      expect(Object.keys(uploaded.suggestedMapping)).toHaveLength(sheet.getRow(1).cellCount);
      expect(sheet.getRow(1).cellCount).toBe(13 + liveFields);
      expect(job).toMatchObject({ status: 'done', createdCount: 1, rejectedCount: 0 });
    }
  });

  it('refuses broken files with a clear code and writes nothing', async () => {
    const before = await poolTotal();
    const good = await xlsx([['公司名称', '手机'], [`坏${tag()}有限公司`, freshMobile()]]);
    const cases: [string, Uint8Array, number, string][] = [
      ['picture.xlsx', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]), 415, 'import.unsupported_file'],
      ['truncated.xlsx', good.subarray(0, Math.floor(good.length / 2)), 422, 'import.unreadable_file'],
      ['empty.csv', new Uint8Array(), 422, 'import.empty_file'],
      ['header-only.csv', new TextEncoder().encode('公司名称,手机\r\n'), 422, 'import.empty_file'],
      ['wide.csv', new TextEncoder().encode(`${'a,'.repeat(1000)}a\r\nb`), 422, 'import.too_many_columns'],
    ];
    for (const [name, bytes, status, code] of cases) {
      const res = await upload(admin, name, bytes);
      expect([name, res.status, res.body.error?.code]).toEqual([name, status, code]);
    }
    expect(await poolTotal()).toBe(before);
  });

  it('counts a cell merged down over several rows for each of them; a merge across columns, or a header merged down, fills nothing', async () => {
    const t = tag();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('线索');
    sheet.addRow(['公司名称', '联系人', '职位']);
    sheet.addRow([`合并${t}机械有限公司`, '王一', null]);
    sheet.addRow([null, '王二', null]);
    sheet.addRow([null, '王三', null]);
    sheet.addRow([`横向${t}电子有限公司`, '李四', null]);
    sheet.mergeCells('A2:A4');
    sheet.mergeCells('B5:C5');
    sheet.mergeCells('C1:C2');
    const { job } = await importFile(admin, 'merged.xlsx', new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(job).toMatchObject({ status: 'done', createdCount: 2, duplicateCount: 2, rejectedCount: 0 });
    const rows = await report(admin, job.id);
    const first = rows.find((r) => r[0] === '2')!;
    expect((await admin.get(`/api/leads/${first[2]}`)).body.lead).toMatchObject({ contactName: '王一', title: null });
    // Rows 3 and 4 carry the merged company: the same company as row 2, so duplicates of its lead.
    expect(rows.filter((r) => r[0] === '3' || r[0] === '4').map((r) => [r[1], r[3], r[4]])).toEqual([
      ['duplicate, skipped', first[2], 'company'],
      ['duplicate, skipped', first[2], 'company'],
    ]);
    const across = (await admin.get(`/api/leads/${rows.find((r) => r[0] === '5')![2]}`)).body.lead;
    expect(across).toMatchObject({ company: `横向${t}电子有限公司`, contactName: '李四', title: null });
  });

  it('reads formulas by their value and refuses uncalculated ones', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('x');
    const t = tag();
    sheet.addRow(['公司名称', '手机']);
    sheet.addRow([{ formula: '"甲"&"乙"', result: `甲乙${t}有限公司` }, freshMobile()]);
    sheet.addRow([{ formula: 'A1' }, freshMobile()]);
    const { job } = await importFile(admin, 'formulas.xlsx', new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(job).toMatchObject({ createdCount: 1, rejectedCount: 1 });
    expect((await report(admin, job.id))[1]).toEqual(['3', 'rejected', '', '', 'company: formula_without_value required', '', '', '']);
  });

  it("tells the importer the progress over the socket, and every screen once per batch that the log advanced", async () => {
    const importer = await admin.socket();
    const watcher = await rep.socket();
    const progress: { status: string; processedRows: number }[] = [];
    const advanced: number[] = [];
    importer.socket.on('import.progress', (job: { status: string; processedRows: number }) => progress.push(job));
    watcher.socket.on('log.advanced', ({ seq }: { seq: number }) => advanced.push(seq));
    const { job } = await importFile(admin, 'live.csv', new TextEncoder().encode(`公司名称,手机\r\n实时${tag()}有限公司,${freshMobile()}\r\n`));
    await expect.poll(() => progress.at(-1)?.status).toBe('done');
    expect(progress.map((p) => p.status)).toContain('running');
    await expect.poll(() => advanced.length).toBe(1);
    // The lead.created events are in the log (catch-up), not pushed one by one.
    expect(watcher.events.filter((e) => e.type === 'lead.created')).toEqual([]);
    const events = await rep.get(`/api/events?since=${advanced[0]! - 1}`);
    expect(events.body.events).toEqual([expect.objectContaining({ seq: advanced[0], type: 'lead.created' })]);
    expect(job.createdCount).toBe(1);
  });

  it('lets admins and managers import, not reps', async () => {
    expect((await rep.get('/api/imports')).status).toBe(403);
    expect((await upload(rep, 'x.csv', new TextEncoder().encode('公司名称\r\n甲'))).status).toBe(403);
  });
});

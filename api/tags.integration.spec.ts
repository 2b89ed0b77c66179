import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, engines, leadInput, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';

describe.each(engines)('tags and custom fields on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let manager1: ApiClient;
  let rep1: ApiClient;
  let rep2: ApiClient;
  const run = Math.random().toString(36).slice(2, 7);

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, manager1, rep1, rep2] = await signInAll(server, ['admin', 'manager1', 'rep1', 'rep2']);
  });
  afterAll(() => server?.close());

  async function group(name: string, tagNames: string[]) {
    const created = await admin.post('/api/tags/groups', { name: `${name}${run}` });
    expect(created.status).toBe(201);
    const tags: Record<string, string> = {};
    for (const tagName of tagNames) {
      const res = await admin.post('/api/tags', { groupId: created.body.group.id, name: tagName });
      expect(res.status).toBe(201);
      tags[tagName] = res.body.tag.id;
    }
    return { id: created.body.group.id as string, tags };
  }

  async function field(input: Record<string, unknown>) {
    const res = await admin.post('/api/custom-fields', input);
    expect(res.status).toBe(201);
    return res.body.field as { id: string; key: string; label: string };
  }

  it('lets admins define groups, tags and fields, and everyone signed in read them', async () => {
    const source = await group('来源', ['广交会', '官网']);
    const budget = await field({ label: 'Purchase budget', type: 'number' });
    expect(budget.key).toBe('purchase_budget');
    const chinese = await field({ label: '采购时间', type: 'date' });
    expect(chinese.key).toMatch(/^field_\d+$/);

    const groups = (await rep1.get('/api/tags')).body.groups as { id: string; name: string; tags: { name: string }[] }[];
    expect(groups.find((g) => g.id === source.id)?.tags.map((t) => t.name)).toEqual(['广交会', '官网']);
    expect((await rep1.get('/api/custom-fields')).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'purchase_budget', type: 'number' })]));

    for (const client of [rep1, manager1]) {
      const denied = [
        await client.post('/api/tags/groups', { name: `x${run}` }),
        await client.post('/api/tags', { groupId: source.id, name: 'x' }),
        await client.post('/api/custom-fields', { label: 'x', type: 'text' }),
        await client.patch(`/api/custom-fields/${budget.id}`, { required: true }),
      ];
      for (const res of denied) expect([res.status, res.body.error.code]).toEqual([403, 'auth.forbidden']);
    }
    expect((await admin.post('/api/tags/groups', { name: `来源${run}` })).body.error.code).toBe('tags.group_name_taken');
    expect((await admin.post('/api/tags', { groupId: source.id, name: '官网' })).body.error.code).toBe('tags.name_taken');
    expect((await admin.post('/api/custom-fields', { label: 'x', key: 'purchase_budget', type: 'text' })).body.error.code).toBe('custom_fields.key_taken');
    const noOptions = await admin.post('/api/custom-fields', { label: 'x', type: 'select' });
    expect(noOptions.body.error.details.fields.options).toEqual(['options_required']);
  });

  it('creates a lead with tags and custom values, and refuses unknown tags and options writing nothing', async () => {
    const product = await group('产品', ['激光切割机', '折弯机']);
    const interest = await field({ label: 'Interest', key: `interest_${run}`, type: 'multiselect', options: ['laser', 'press'] });
    const res = await rep1.post('/api/leads', leadInput({ tagIds: [product.tags['折弯机'], product.tags['激光切割机']], custom: { [interest.key]: ['press'], purchase_budget: '250000' } }));
    expect(res.status).toBe(201);
    expect(res.body.lead.tags).toEqual([
      { id: product.tags['激光切割机'], name: '激光切割机', groupId: product.id, groupName: `产品${run}` },
      { id: product.tags['折弯机'], name: '折弯机', groupId: product.id, groupName: `产品${run}` },
    ]);
    expect(res.body.lead.custom).toEqual({ [interest.key]: ['press'], purchase_budget: 250000 });
    expect((await rep2.get(`/api/leads/${res.body.lead.id}`)).body.lead.custom).toEqual(res.body.lead.custom);

    const before = (await admin.get('/api/pool?limit=1')).body.total;
    const badOption = await rep1.post('/api/leads', leadInput({ custom: { [interest.key]: ['drill'] } }));
    expect([badOption.status, badOption.body.error.code]).toEqual([422, 'request.invalid']);
    expect(badOption.body.error.details.fields).toEqual({ [`custom.${interest.key}`]: ['unknown_option'] });
    const badTag = await rep1.post('/api/leads', leadInput({ tagIds: ['no-such-tag'] }));
    expect(badTag.body.error.details.fields).toEqual({ tagIds: ['unknown_tag'] });
    const unknownKey = await rep1.post('/api/leads', leadInput({ custom: { nope: 'x' } }));
    expect(unknownKey.body.error.details.fields).toEqual({ 'custom.nope': ['unknown_field'] });
    expect((await admin.get('/api/pool?limit=1')).body.total).toBe(before);
  });

  it('filters the pool by tags (any within a group, every group) and by a custom select', async () => {
    const source = await group('展会', ['工博会', '广交会']);
    const level = await group('意向', ['高', '低']);
    const grade = await field({ label: 'Grade', key: `grade_${run}`, type: 'select', options: ['gold', 'silver'] });
    const marker = `筛选${run}`;
    const make = async (name: string, tagIds: string[], custom: Record<string, unknown> = {}) =>
      (await createPoolLead(admin, { company: `${marker}${name}机械有限公司`, tagIds, custom, duplicateReason: '不同的公司' })).id;
    const a = await make('甲', [source.tags['工博会']!], { [grade.key]: 'gold' });
    const b = await make('乙', [source.tags['广交会']!]);
    const c = await make('丙', [source.tags['工博会']!, level.tags['高']!], { [grade.key]: 'silver' });
    const d = await make('丁', [source.tags['广交会']!, level.tags['高']!], { [grade.key]: 'gold' });
    await make('戊', []);

    const ids = async (query: string) => {
      const res = await rep1.get(`/api/pool?q=${encodeURIComponent(marker)}&${query}`);
      expect(res.status).toBe(200);
      return (res.body.items as { id: number }[]).map((l) => l.id).sort((x, y) => x - y);
    };
    const t = (id: string | undefined) => `tag=${id}`;
    expect(await ids(`${t(source.tags['工博会'])}&${t(source.tags['广交会'])}`)).toEqual([a, b, c, d]);
    expect(await ids(`${t(source.tags['工博会'])}&${t(level.tags['高'])}`)).toEqual([c]);
    expect(await ids(`${t(source.tags['工博会'])}&${t(source.tags['广交会'])}&${t(level.tags['高'])}`)).toEqual([c, d]);
    expect(await ids(`cf=${grade.key}=gold`)).toEqual([a, d]);
    expect(await ids(`cf=${grade.key}=gold&cf=${grade.key}=silver&${t(level.tags['高'])}`)).toEqual([c, d]);
    const bad = await rep1.get(`/api/pool?cf=nope=1`);
    expect([bad.status, bad.body.error.details.fields.cf]).toEqual([422, ['unknown_field']]);

    // My leads take the same filters.
    await rep1.post(`/api/leads/${c}/claim`);
    await rep1.post(`/api/leads/${b}/claim`);
    const mine = await rep1.get(`/api/leads/mine?${t(level.tags['高'])}`);
    expect((mine.body.items as { id: number }[]).map((l) => l.id)).toEqual([c]);
  });

  it('filters by number and date ranges', async () => {
    const marker = `预算${run}`;
    // purchase_date is one of the demo fields.
    const low = await createPoolLead(admin, { company: `${marker}低机械有限公司`, custom: { purchase_budget: 50000, purchase_date: '2027-03-01' } });
    const high = await createPoolLead(admin, { company: `${marker}高电子有限公司`, custom: { purchase_budget: 900000, purchase_date: '2026-12-20' } });
    const ids = async (...cf: string[]) =>
      (await rep1.get(`/api/pool?q=${encodeURIComponent(marker)}&${cf.map((c) => `cf=${encodeURIComponent(c)}`).join('&')}`)).body.items.map((l: { id: number }) => l.id);
    expect(await ids('purchase_budget>=100000')).toEqual([high.id]);
    expect(await ids('purchase_date>=2027-01-01')).toEqual([low.id]);
    expect(await ids('purchase_date>=2026-12-01', 'purchase_date<=2026-12-31', 'purchase_budget<=1000000')).toEqual([high.id]);
    expect((await rep1.get(`/api/pool?cf=${encodeURIComponent('purchase_date>=soon')}`)).body.error.details.fields.cf).toEqual(['invalid_date']);
  });

  it('changes a lead’s tags and values for its owner, appending lead.updated live and on the timeline', async () => {
    const level = await group('等级', ['A类', 'B类']);
    const lead = await createPoolLead(rep1, { tagIds: [level.tags['A类']] });
    expect((await rep1.patch(`/api/leads/${lead.id}`, { tagIds: [level.tags['B类']] })).body.error.code).toBe('lead.not_editable');
    await rep1.post(`/api/leads/${lead.id}/claim`);
    const socket = await manager1.socket();

    const res = await rep1.patch(`/api/leads/${lead.id}`, { tagIds: [level.tags['B类']], custom: { purchase_budget: 300000 } });
    expect(res.status).toBe(200);
    expect(res.body.lead.tags.map((t: { name: string }) => t.name)).toEqual(['B类']);
    expect(res.body.lead.custom).toEqual({ purchase_budget: 300000 });

    const event = await socket.waitFor((e) => e.type === 'lead.updated' && e.leadId === lead.id);
    expect(event.data).toMatchObject({
      lead: { id: lead.id, custom: { purchase_budget: 300000 } },
      changes: {
        tags: { added: [expect.objectContaining({ name: 'B类' })], removed: [expect.objectContaining({ name: 'A类' })] },
        custom: [{ key: 'purchase_budget', label: 'Purchase budget', from: null, to: 300000 }],
      },
    });
    const timeline = (await rep1.get(`/api/leads/${lead.id}/events`)).body.events as { type: string }[];
    expect(timeline.map((e) => e.type)).toEqual(['lead.created', 'lead.claimed', 'lead.updated']);

    // Nothing changed: no event. Someone else's lead: refused.
    await rep1.patch(`/api/leads/${lead.id}`, { tagIds: [level.tags['B类']] });
    expect((await rep1.get(`/api/leads/${lead.id}/events`)).body.events).toHaveLength(3);
    expect((await rep2.patch(`/api/leads/${lead.id}`, { tagIds: [] })).status).toBe(403);
    const cleared = await rep1.patch(`/api/leads/${lead.id}`, { custom: { purchase_budget: null } });
    expect(cleared.body.lead.custom).toEqual({});
  });

  it('keeps values safe: an option in use stays, a tag in use stays, a field with values is archived', async () => {
    const kind = await field({ label: 'Kind', key: `kind_${run}`, type: 'select', options: ['oem', 'dealer', 'end_user'] });
    const sector = await group('行业', ['机床', '电子']);
    await createPoolLead(admin, { custom: { [kind.key]: 'oem' }, tagIds: [sector.tags['机床']] });

    const removeUsed = await admin.patch(`/api/custom-fields/${kind.id}`, { options: ['dealer', 'end_user'] });
    expect([removeUsed.status, removeUsed.body.error.code]).toEqual([409, 'custom_fields.option_in_use']);
    expect(removeUsed.body.error.details.options).toEqual([{ option: 'oem', leadCount: 1 }]);
    expect((await admin.patch(`/api/custom-fields/${kind.id}`, { options: ['oem', 'dealer', 'distributor'] })).status).toBe(200);

    expect((await admin.request('DELETE', `/api/tags/${sector.tags['机床']}`)).body.error.code).toBe('tags.in_use');
    expect((await admin.request('DELETE', `/api/tags/${sector.tags['电子']}`)).status).toBe(200);
    expect((await admin.request('DELETE', `/api/tags/groups/${sector.id}`)).body.error.code).toBe('tags.group_not_empty');

    const removed = await admin.request('DELETE', `/api/custom-fields/${kind.id}`);
    expect(removed.body).toMatchObject({ deleted: false, field: { key: kind.key, archivedAt: expect.any(String) } });
    const unused = await field({ label: 'Unused', key: `unused_${run}`, type: 'text' });
    expect((await admin.request('DELETE', `/api/custom-fields/${unused.id}`)).body.deleted).toBe(true);
  });

  it('asks for a required field until it is archived', async () => {
    const required = await field({ label: 'Decision maker', key: `decider_${run}`, type: 'text', required: true });
    const missing = await rep1.post('/api/leads', leadInput());
    expect([missing.status, missing.body.error.details.fields]).toEqual([422, { [`custom.${required.key}`]: ['required'] }]);
    const blank = await rep1.post('/api/leads', leadInput({ custom: { [required.key]: '  ' } }));
    expect(blank.body.error.details.fields).toEqual({ [`custom.${required.key}`]: ['required'] });
    expect((await rep1.post('/api/leads', leadInput({ custom: { [required.key]: '王总' } }))).status).toBe(201);

    expect((await admin.patch(`/api/custom-fields/${required.id}`, { archived: true })).status).toBe(200);
    expect((await rep1.post('/api/leads', leadInput())).status).toBe(201);
    const archivedValue = await rep1.post('/api/leads', leadInput({ custom: { [required.key]: '王总' } }));
    expect(archivedValue.body.error.details.fields).toEqual({ [`custom.${required.key}`]: ['unknown_field'] });
  });
});

import { describe, expect, it } from 'vitest';
import { engines, useTestDatabase } from '../../test/harness.ts';
import { ingestBatch, probeExisting, type IngestOptions, type LeadCandidate } from './bulk-ingest.ts';

describe.each(engines)('bulk ingest on %s', (engine) => {
  const db = useTestDatabase(engine);
  const opts: IngestOptions = { onDuplicate: 'skip', actor: { type: 'system', id: null, name: '测试' }, createdBy: null };

  let serial = 0;
  const candidate = (fields: Partial<LeadCandidate> & Pick<LeadCandidate, 'company'>): LeadCandidate => ({
    rowNo: ++serial + 1,
    contactName: null, title: null, mobile: null, phone: null, phoneExt: null, email: null, province: null, city: null,
    industry: null, intent: null, expectedAmount: null, sourceChannel: 'import', exhibitionId: null, custom: {},
    ...fields,
  });
  const ingest = (candidates: LeadCandidate[], probed?: Awaited<ReturnType<typeof probeExisting>>) =>
    db().db.transaction((tx) => ingestBatch(tx, candidates, opts, probed));

  it('matches a batch probed ahead of its transaction against leads committed in between, by the strongest rule', async () => {
    const t = Math.random().toString(36).slice(2, 8);
    const mobile = () => `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const [m1, m2] = [mobile(), mobile()];
    const leadId = (o: unknown) => (o as { leadId: number }).leadId;
    const [company] = (await ingest([candidate({ company: `先有${t}机械有限公司` })])).outcomes;
    const batch = [
      candidate({ company: `后来${t}电子有限公司`, mobile: m1 }),
      candidate({ company: `先有${t}机械股份有限公司`, mobile: m2 }),
      candidate({ company: `无关${t}化工有限公司` }),
    ];
    // Probed first, as an import probes its next batch while it writes the current one: the
    // second row matches an existing lead by company only.
    const probed = await probeExisting(db().db, batch);
    expect([...probed.byN.keys()]).toEqual([1]);
    // Then another door commits leads with the first and the second row's mobiles.
    const between = (await ingest([candidate({ company: `别处${t}贸易有限公司`, mobile: m1 }), candidate({ company: `另外${t}物流有限公司`, mobile: m2 })])).outcomes;
    const { outcomes } = await ingest(batch, probed);
    expect(outcomes.map((o) => (o.outcome === 'created' ? 'created' : [o.duplicateOfId, o.reason]))).toEqual([
      [leadId(between[0]), 'mobile'],
      // A mobile is a stronger match than the company the probe found.
      [leadId(between[1]), 'mobile'],
      'created',
    ]);
    expect(leadId(company)).not.toBe(leadId(between[1]));
  });
});

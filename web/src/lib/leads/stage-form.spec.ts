import { beforeEach, describe, expect, it } from 'vitest';
import type { StageView } from '#lib/api/types.js';
import { leadView } from '#lib/testing/lead-view.fixture.js';
import { pipeline } from '#lib/pipeline/pipeline-config.svelte.js';
import { StageForm } from './stage-form.svelte.js';

const stage = (key: string, requiresAmount = false): StageView => ({ key, kind: key === 'won' || key === 'lost' ? key : 'open', name: null, requiresAmount, tasks: [] });

describe('what a stage move asks for', () => {
  beforeEach(() => {
    pipeline.config = {
      stages: [stage('new'), stage('contacted'), stage('s_demo'), stage('quoted', true), stage('negotiation', true), stage('won', true), stage('lost')],
      lostReasons: [],
      approval: { threshold: 500_000, stage: 'quoted', chain: [{ kind: 'team_manager' }] },
    };
  });

  const formFor = (lead: ReturnType<typeof leadView>, to: string) => {
    const form = new StageForm(lead.id, () => {});
    form.reset(lead);
    form.stage = to;
    return form;
  };

  it('asks approval above the threshold into the approval stage and any later one, never into lost or below it', () => {
    const big = leadView(1, { ownerId: 'me', stage: 'contacted', expectedAmount: 800_000 });
    expect(formFor(big, 'quoted').asksApproval(big)).toBe(true);
    // Won counts the order being entered, the lead's amount until then.
    expect(formFor(big, 'won').asksApproval(big)).toBe(true);
    expect(formFor(big, 'negotiation').asksApproval(big)).toBe(true);
    expect(formFor(big, 's_demo').asksApproval(big)).toBe(false);
    expect(formFor(big, 'lost').asksApproval(big)).toBe(false);
    // Approved for at least this much before: it may go on.
    const approved = leadView(5, { ownerId: 'me', stage: 'quoted', expectedAmount: 800_000, approvedAmount: 800_000 });
    expect(formFor(approved, 'negotiation').asksApproval(approved)).toBe(false);
    expect(formFor({ ...approved, expectedAmount: 900_000 }, 'negotiation').asksApproval({ ...approved, expectedAmount: 900_000 })).toBe(true);
    const small = leadView(2, { ownerId: 'me', stage: 'contacted', expectedAmount: 500_000 });
    expect(formFor(small, 'quoted').asksApproval(small)).toBe(false);
  });

  it('asks an amount only where the stage needs one and the lead has none; the board opens its dialog only for a move that needs more', () => {
    const none = leadView(3, { ownerId: 'me', stage: 'new', expectedAmount: null });
    const quoted = formFor(none, 'quoted');
    expect(quoted.asksAmount(none)).toBe(true);
    quoted.amount = '900000';
    expect(quoted.asksApproval(none)).toBe(true);
    expect(formFor(none, 'contacted').needsMore(none)).toBe(false);
    expect(formFor(none, 'lost').needsMore(none)).toBe(true);
    expect(formFor(none, 'won').needsMore(none)).toBe(true);
    // Staying where it is asks for nothing, however big.
    const won = leadView(4, { ownerId: 'me', stage: 'won', expectedAmount: 900_000 });
    expect(formFor(won, 'won').needsMore(won)).toBe(false);
    expect(formFor(won, 'won').asksApproval(won)).toBe(false);
  });
});

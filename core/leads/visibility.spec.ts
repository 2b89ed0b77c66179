import { describe, expect, it } from 'vitest';
import { canSeeContact, canViewLead, maskEmail, maskPhone } from './visibility.ts';

const companyPool = { id: 'company', contactsWhole: false };
const rep = { id: 'r1', name: 'R', role: 'rep' as const, teamId: 't1', pools: [companyPool] };
const manager = { id: 'm1', name: 'M', role: 'manager' as const, teamId: 't1', pools: [{ ...companyPool, contactsWhole: true }] };

describe('masking', () => {
  it('keeps the first three and last four digits of a Chinese mobile', () => {
    expect(maskPhone('+8613800138000')).toBe('138****8000');
  });
  it('masks landlines and short numbers without revealing them', () => {
    expect(maskPhone('+8653188886666')).toBe('531****6666');
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone(null)).toBeNull();
  });
  it('keeps only the first letter and the domain of an email', () => {
    expect(maskEmail('zhang.wei@huaxin.cn')).toBe('z***@huaxin.cn');
  });
});

describe('who sees a lead', () => {
  it('a rep sees pool leads masked and their own leads whole', () => {
    expect(canViewLead(rep, { ownerId: null, teamId: null, poolId: 'company' })).toBe(true);
    expect(canSeeContact(rep, { ownerId: null, teamId: null, poolId: 'company' })).toBe(false);
    expect(canSeeContact(rep, { ownerId: 'r1', teamId: 't1', poolId: 'company' })).toBe(true);
  });
  it("a rep cannot open a pool their team is not a member of", () => {
    expect(canViewLead(rep, { ownerId: null, teamId: null, poolId: 'south' })).toBe(false);
  });
  it("a rep cannot open a teammate's lead", () => {
    expect(canViewLead(rep, { ownerId: 'r2', teamId: 't1', poolId: 'company' })).toBe(false);
  });
  it("a manager sees their team's leads but not another team's", () => {
    expect(canSeeContact(manager, { ownerId: 'r2', teamId: 't1', poolId: 'company' })).toBe(true);
    expect(canViewLead(manager, { ownerId: 'r9', teamId: 't2', poolId: 'company' })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { createLeadInput } from '../core/leads/leads.schemas.ts';
import { fieldErrors } from './validate.ts';

const issuesOf = (input: unknown) => {
  const result = createLeadInput['~standard'].validate(input);
  if (result instanceof Promise || !result.issues) throw new Error('expected a synchronous failure');
  return result.issues;
};

describe('field errors from lead input', () => {
  it('names each bad field with a stable code', () => {
    expect(fieldErrors(issuesOf({ company: ' ', mobile: '12345', email: 'not-mail', colour: 'red' }))).toEqual({
      company: ['required'],
      mobile: ['invalid_mobile'],
      email: ['invalid_email'],
      colour: ['unknown_field'],
    });
  });
  it('falls back to the issue code for checks without our own message', () => {
    expect(fieldErrors(issuesOf({ company: 'x'.repeat(201) }))).toEqual({ company: ['too_big'] });
  });
});

describe('lead input cleaning', () => {
  it('understands the ways Chinese mobiles are written and stores E.164', () => {
    for (const written of ['+86 138-0013-8000', '0086 13800138000', '138 0013 8000', '１３８００１３８０００']) {
      expect(createLeadInput.parse({ company: 'c', mobile: written }).mobile).toEqual({ number: '+8613800138000', kind: 'mobile', extension: null });
    }
  });
  it('rejects a landline given as a mobile but accepts it as a phone', () => {
    expect(createLeadInput.safeParse({ company: 'c', mobile: '0531-88886666' }).success).toBe(false);
    expect(createLeadInput.parse({ company: 'c', phone: '0531-88886666 转 8' }).phone).toEqual({ number: '+8653188886666', kind: 'landline', extension: '8' });
  });
  it('trims and lower-cases emails, and treats empty form fields as absent', () => {
    const parsed = createLeadInput.parse({ company: ' 山东华信机械有限公司 ', email: ' Zhang@HuaXin.CN ', city: '' });
    expect(parsed).toEqual({ company: '山东华信机械有限公司', email: 'zhang@huaxin.cn' });
  });
});

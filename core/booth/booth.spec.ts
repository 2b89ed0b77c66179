import { describe, expect, it } from 'vitest';
import { boothLeadInput } from './booth.usecases.ts';

describe('the booth form input', () => {
  it('names every missing required field at once', () => {
    const result = boothLeadInput.safeParse({ company: '', email: 'bad' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => `${i.path.join('.')}:${i.message}`).sort();
    expect(paths).toEqual(['company:required', 'contactName:required', 'email:invalid_email', 'mobile:required']);
  });

  it('cleans the mobile like manual entry and keeps the honeypot for the use case to see', () => {
    const parsed = boothLeadInput.parse({ company: '济南华信机械有限公司', contactName: '王芳', mobile: '139 1234 5678', website: 'x' });
    expect(parsed.mobile).toMatchObject({ number: '+8613912345678' });
    expect(parsed.website).toBe('x');
  });

  it('refuses fields the form does not have', () => {
    const result = boothLeadInput.safeParse({ company: 'a', contactName: 'b', mobile: '13912345678', assignToMe: true, exhibitionId: 'x' });
    expect(result.error?.issues.map((i) => i.code)).toEqual(['unrecognized_keys']);
  });
});

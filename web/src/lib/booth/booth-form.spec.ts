import { describe, expect, it } from 'vitest';
import { blankBooth, boothPayload, boothSchema } from './booth-form.js';

describe('the booth form in the browser', () => {
  it('shows every missing required field before anything is sent', () => {
    const result = boothSchema.safeParse(blankBooth());
    expect(result.error?.issues.map((i) => `${i.path.join('.')}:${i.message}`).sort()).toEqual(['company:required', 'contactName:required', 'mobile:required']);
    expect(boothSchema.safeParse({ ...blankBooth(), company: 'a', contactName: 'b', mobile: '12345' }).error?.issues.map((i) => i.message)).toEqual(['invalid_mobile']);
  });

  it('sends what was filled in, and the honeypot only when a bot filled it', () => {
    const typed = { ...blankBooth(), company: '华信机械', contactName: '王芳', mobile: '139 1234 5678', interest: '机床' };
    expect(boothPayload(typed)).toEqual({ company: '华信机械', contactName: '王芳', mobile: '139 1234 5678', interest: '机床' });
    expect(boothPayload({ ...typed, website: 'http://spam' })).toMatchObject({ website: 'http://spam' });
  });
});

import { describe, expect, it } from 'vitest';
import { formatPhone } from './phone.js';

describe('formatPhone', () => {
  it('groups Chinese mobiles and leaves masked numbers alone', () => {
    expect(formatPhone('+8613800138000')).toBe('138 0013 8000');
    expect(formatPhone('138****8000')).toBe('138****8000');
    expect(formatPhone('+862188888888')).toBe('02188888888');
    expect(formatPhone(null)).toBe('—');
  });
});

import { describe, expect, it } from 'vitest';
import { formatPhone } from './phone.js';

describe('formatPhone', () => {
  it('groups Chinese mobiles and landlines the way they are written in China', () => {
    expect(formatPhone('+8613800138000')).toBe('138 0013 8000');
    expect(formatPhone('+862188888888')).toBe('021 8888 8888');
    expect(formatPhone('+8653188886666')).toBe('0531 8888 6666');
  });
  it('shows foreign numbers internationally and leaves masked or missing ones alone', () => {
    expect(formatPhone('+14155552671')).toBe('+1 415 555 2671');
    expect(formatPhone('138****8000')).toBe('138****8000');
    expect(formatPhone(null)).toBe('—');
  });
});

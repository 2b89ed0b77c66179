import { describe, expect, it } from 'vitest';
import { initialLocale } from './locale.svelte.js';

describe('initialLocale', () => {
  it('prefers the remembered choice, then the browser, then zh-CN', () => {
    expect(initialLocale('en', ['zh-CN'])).toBe('en');
    expect(initialLocale(null, ['en-US', 'zh'])).toBe('en');
    expect(initialLocale(null, ['zh-TW'])).toBe('zh-CN');
    expect(initialLocale('fr', ['de-DE'])).toBe('zh-CN');
  });
});

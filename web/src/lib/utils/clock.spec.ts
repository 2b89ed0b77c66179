import { afterEach, describe, expect, it, vi } from 'vitest';
import { isoDay, setOrganisationTimeZone } from './clock.svelte.ts';

describe('isoDay', () => {
  afterEach(() => vi.useRealTimers());

  it("names the organisation's day, whatever the browser's time zone", () => {
    // 00:30 in Shanghai, 11:30 the day before in New York.
    vi.useFakeTimers({ now: new Date('2026-11-24T16:30:00Z') });
    setOrganisationTimeZone('Asia/Shanghai');
    expect(isoDay()).toBe('2026-11-25');
    expect(isoDay(-29)).toBe('2026-10-27');
    setOrganisationTimeZone('America/New_York');
    expect(isoDay()).toBe('2026-11-24');
  });
});

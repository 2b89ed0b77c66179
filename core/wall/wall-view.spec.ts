import { describe, expect, it } from 'vitest';
import { maskName, rankBy, type WallRepCounts } from './wall-view.ts';

describe('maskName', () => {
  it('keeps the first character and hides the rest, at most three stars', () => {
    expect(maskName('王芳')).toBe('王*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('Alexander')).toBe('A***');
    expect(maskName('王')).toBe('王');
    // A character outside the BMP is one character, not two halves.
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });
});

describe('rankBy', () => {
  const rep = (name: string, calls: number, revenue = 0): WallRepCounts => ({ userId: name, name, calls, talkSeconds: 0, wins: 0, revenue });
  it('ranks best first by the metric, ties sharing a rank, and masks when asked', () => {
    const rows = [rep('乙', 3), rep('甲', 5, 100), rep('丙', 3), rep('丁', 0, 900)];
    expect(rankBy(rows, 'calls', false).map((r) => [r.rank, r.name, r.value])).toEqual([
      [1, '甲', 5],
      [2, '丙', 3],
      [2, '乙', 3],
      [4, '丁', 0],
    ]);
    expect(rankBy(rows, 'revenue', true).slice(0, 2).map((r) => [r.rank, r.name, r.value])).toEqual([
      [1, '丁', 900],
      [2, '甲', 100],
    ]);
  });
});

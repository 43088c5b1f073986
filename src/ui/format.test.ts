import { describe, expect, it } from 'vitest';
import { formatCount, formatDate } from './format';

describe('page formats', () => {
  it('groups thousands', () => {
    expect(formatCount(1_199_882)).toBe('1,199,882');
    expect(formatCount(60_000)).toBe('60,000');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(-1234567)).toBe('-1,234,567');
  });

  it('writes a date as people read it, and says when there is none', () => {
    const iso = new Date(2026, 10, 25, 9, 5).toISOString();
    expect(formatDate(iso)).toBe('25 Nov 2026, 09:05');
    expect(formatDate('')).toBe('unknown');
    expect(formatDate('not a date')).toBe('unknown');
  });
});

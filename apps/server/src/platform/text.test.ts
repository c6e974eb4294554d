import { describe, expect, it } from 'vitest';
import { hasUnpairedSurrogate, truncate } from './text.js';

describe('truncate', () => {
  it('cuts at the limit, never between the halves of a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abcd');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('ab🔥cd', 3)).toBe('ab');
    expect(truncate('ab🔥cd', 4)).toBe('ab🔥');
    expect(hasUnpairedSurrogate(truncate('🔥'.repeat(200), 299))).toBe(false);
  });
});

describe('hasUnpairedSurrogate', () => {
  it('finds half pairs anywhere, and only those', () => {
    expect(hasUnpairedSurrogate('plain text, ünïcödé, 🔥')).toBe(false);
    expect(hasUnpairedSurrogate('a\ud800')).toBe(true);
    expect(hasUnpairedSurrogate('\udc00a')).toBe(true);
    expect(hasUnpairedSurrogate('a\ud83d\udd25\ud83db')).toBe(true);
    expect(hasUnpairedSurrogate('\udd25\ud83d')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { parseJsonBody } from './json-body.js';

function problemOf(text: string): string | null {
  try {
    parseJsonBody(text);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).message;
  }
}

describe('parseJsonBody', () => {
  it('accepts what JSON.parse accepts when no object repeats a key', () => {
    const body = { version: '4', alerts: [{ labels: { a: '1', b: '2' } }, { labels: { a: '1', b: '2' } }], '2': { '1': [{ x: '{"x":1,"x":2}' }] } };
    expect(parseJsonBody(JSON.stringify(body))).toEqual(body);
    // Keys inside strings, escaped quotes, arrays of strings, scalars at the top.
    expect(parseJsonBody('{"a":"he said \\"b\\": 1, \\"b\\": 2","b":["a","a"]}')).toEqual({ a: 'he said "b": 1, "b": 2', b: ['a', 'a'] });
    expect(parseJsonBody('"{\\"a\\":1,\\"a\\":2}"')).toBe('{"a":1,"a":2}');
    expect(parseJsonBody('[{}, [], {"": 1}]')).toEqual([{}, [], { '': 1 }]);
  });

  it('names a repeated key, however it is nested or spelled', () => {
    expect(problemOf('{"a":1,"a":2}')).toBe('body: duplicate key "a"');
    expect(problemOf('{"alerts":[{"labels":{"x":"1"}},{"labels":{"x":"1","y":"2","x":"3"}}]}')).toBe('body: duplicate key "x"');
    // Sibling objects at the same depth share key names without being duplicates; the repeat is in the second.
    expect(problemOf('[{"k":1},{"k":2},{"j":1,"j":2}]')).toBe('body: duplicate key "j"');
    expect(problemOf('{"a":1,"\\u0061":2}')).toBe('body: duplicate key "a"');
    // Integer-like keys come first in a parsed object; the count does not care.
    expect(problemOf('{"b":{"2":1,"1":2},"1":{"z":1,"z":1}}')).toBe('body: duplicate key "z"');
  });

  it('refuses prototype keys', () => {
    expect(problemOf('{"__proto__":{"admin":true}}')).toBe('body: forbidden key "__proto__"');
    expect(problemOf('{"a":[{"constructor":{"prototype":{}}}]}')).toBe('body: forbidden key "constructor"');
    expect(problemOf('{"\\u005f_proto__":1}')).toBe('body: forbidden key "__proto__"');
  });

  it('survives deep nesting and wide objects', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => parseJsonBody(deep)).not.toThrow(AppError);
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(parseJsonBody(JSON.stringify(wide)) as object)).toHaveLength(50_000);
    expect(problemOf(`${JSON.stringify(wide).slice(0, -1)},"k49999":0}`)).toBe('body: duplicate key "k49999"');
  });

  it('refuses empty and malformed bodies', () => {
    expect(problemOf('  ')).toBe('body: empty; send a JSON document');
    expect(problemOf('{"a":')).toMatch(/^body: not valid JSON/);
  });
});

import { AppError } from '../errors.js';
import { assertStorableText, mayHoldUnstorableText } from './storable-text.js';

/**
 * JSON.parse keeps the last of two equal keys without a word; for an operations tool
 * that silently drops half of an ambiguous request. This scan (linear, no allocation
 * per value) rejects duplicate keys and prototype keys before the body is parsed.
 */
export function assertSafeJsonKeys(text: string): void {
  const stack: Array<Set<string> | null> = [];
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i;
      // Jump to the closing quote with the native search (most of a body is string contents):
      // a quote preceded by an odd run of backslashes is escaped, keep looking.
      for (;;) {
        const quote = text.indexOf('"', i + 1);
        if (quote < 0) {
          i = text.length;
          break;
        }
        let slashes = 0;
        while (text.charCodeAt(quote - 1 - slashes) === 0x5c /* \ */) slashes++;
        i = quote;
        if (slashes % 2 === 0) break;
      }
      const keys = stack[stack.length - 1];
      if (expectingKey && keys) {
        const raw = text.slice(start + 1, i);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        if (keys.has(key)) throw new AppError('malformed_json', `body: duplicate key "${key}"`, { key });
        if (key === '__proto__' || key === 'constructor') throw new AppError('malformed_json', `body: forbidden key "${key}"`, { key });
        keys.add(key);
        expectingKey = false;
      }
    } else if (ch === 0x7b /* { */) {
      stack.push(new Set());
      expectingKey = true;
    } else if (ch === 0x5b /* [ */) {
      stack.push(null);
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
    } else if (ch === 0x2c /* , */) {
      expectingKey = Boolean(stack.at(-1));
    }
  }
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new AppError('malformed_json', 'body: empty; send a JSON document');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('malformed_json', `body: not valid JSON (${(error as Error).message})`);
  }
  assertSafeJsonKeys(text);
  if (mayHoldUnstorableText(text)) assertStorableText(value, 'body');
  return value;
}

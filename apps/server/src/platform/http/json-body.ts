import { AppError } from '../errors.js';
import { assertStorableText, mayHoldUnstorableText } from './storable-text.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor']);

/**
 * Walks the keys of a JSON text in document order. `onKey` gets each key's quoted span
 * (opening and closing quote positions) and its object's number (objects are numbered as
 * they open); returns the number of keys. Linear; most of a body is string contents,
 * jumped over with the native search.
 */
function scanKeys(text: string, onKey: ((start: number, end: number, object: number) => void) | null): number {
  // The open objects' numbers, -1 for an open array, by nesting depth.
  const open: number[] = [];
  let objects = 0;
  let expectingKey = false;
  let keys = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i;
      // A quote preceded by an odd run of backslashes is escaped: keep looking.
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
      if (expectingKey) {
        keys++;
        onKey?.(start, i, open[open.length - 1]);
        expectingKey = false;
      }
    } else if (ch === 0x7b /* { */) {
      open.push(objects++);
      expectingKey = true;
    } else if (ch === 0x5b /* [ */) {
      open.push(-1);
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      open.pop();
    } else if (ch === 0x2c /* , */) {
      expectingKey = open.length > 0 && open[open.length - 1] >= 0;
    }
  }
  return keys;
}

/** Own keys of every object in a parsed JSON value; throws on a prototype key. No recursion: bodies may nest deeply. */
function countParsedKeys(value: unknown): number {
  let keys = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      for (const item of next) if (typeof item === 'object' && item !== null) pending.push(item);
      continue;
    }
    for (const key in next) {
      if (!Object.hasOwn(next, key)) continue;
      if (FORBIDDEN_KEYS.has(key)) throw new AppError('malformed_json', `body: forbidden key "${key}"`, { key });
      keys++;
      const item = (next as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) pending.push(item);
    }
  }
  return keys;
}

/** The slow path, for a body known to repeat a key: names the first one repeated. */
function throwDuplicateKey(text: string): never {
  const seen = new Map<number, Set<string>>();
  scanKeys(text, (start, end, object) => {
    const raw = text.slice(start + 1, end);
    const key = raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
    const keys = seen.get(object) ?? new Set<string>();
    seen.set(object, keys);
    if (keys.has(key)) throw new AppError('malformed_json', `body: duplicate key "${key}"`, { key });
    keys.add(key);
  });
  throw new AppError('malformed_json', 'body: a key is repeated in one object');
}

/**
 * JSON.parse keeps the last of two equal keys without a word; for an operations tool that
 * silently drops half of an ambiguous request. Rejects duplicate keys and prototype keys.
 * A duplicate makes the parsed value hold fewer keys than the text names, so counting both
 * (no allocation per key: this runs on every alert batch) finds whether there is one, and
 * only then is the text scanned again to name it.
 */
function assertSafeJsonKeys(text: string, parsed: unknown): void {
  if (countParsedKeys(parsed) !== scanKeys(text, null)) throwDuplicateKey(text);
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new AppError('malformed_json', 'body: empty; send a JSON document');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('malformed_json', `body: not valid JSON (${(error as Error).message})`);
  }
  assertSafeJsonKeys(text, value);
  if (mayHoldUnstorableText(text)) assertStorableText(value, 'body');
  return value;
}

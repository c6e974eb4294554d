import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 16 * 1024;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;
let lastMs = 0;
let sequence = 0;
const hex: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * UUIDv7 for alerts, made in bulk: the pipeline mints tens of thousands a second, and
 * one `randomFillSync` per id was a measurable share of its time. Random bytes come from
 * a pooled buffer; a 12-bit sequence keeps ids strictly increasing within a millisecond
 * so the alert console's id order is arrival order.
 */
export function newAlertId(): string {
  if (offset + 8 > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  let ms = Date.now();
  if (ms <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    sequence = pool[offset] & 0x7f; // random start, room to count up
  }
  const b = pool;
  const o = offset;
  offset += 8;
  const time = ms.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${(sequence >> 8).toString(16)}${hex[sequence & 0xff]}-` +
    `${hex[(b[o] & 0x3f) | 0x80]}${hex[b[o + 1]]}-${hex[b[o + 2]]}${hex[b[o + 3]]}${hex[b[o + 4]]}${hex[b[o + 5]]}${hex[b[o + 6]]}${hex[b[o + 7]]}`;
}

/** The smallest alert id minted at or after `ms`: ids sort by the time they were minted. */
export function alertIdFloor(ms: number): string {
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-0000-0000-000000000000`;
}

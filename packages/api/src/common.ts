import { z } from 'zod';

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable error code, e.g. `validation_failed`'),
      message: z.string().describe('Human-readable message; for validation, `field: problem`'),
      details: z.unknown().optional().describe('Structured details, e.g. every invalid field'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBody>;

export const errorCodes = [
  'validation_failed',
  'malformed_json',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'unavailable',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const id = z.uuid().describe('Opaque identifier (UUIDv7)');
export const timestamp = z.iso.datetime().describe('ISO 8601 timestamp in UTC');
export const slug = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single dashes');

export const limitQuery = z.coerce.number().int().min(1).max(500).default(50).describe('Page size, 1–500');
export const cursorQuery = z.string().max(200).optional().describe('Opaque cursor from a previous page');

export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  });
}

export const noContent = z.undefined().describe('No content');

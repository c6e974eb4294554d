import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids keep B-tree inserts local and make ids sortable by creation. */
export const newId = (): string => uuidv7();

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** High-entropy secrets (tokens, session ids) are looked up by SHA-256; passwords use argon2id. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const now = (): number => Date.now();
export const toIso = (epochMs: number): string => new Date(epochMs).toISOString();
export const toIsoOrNull = (epochMs: number | null): string | null => (epochMs === null ? null : toIso(epochMs));

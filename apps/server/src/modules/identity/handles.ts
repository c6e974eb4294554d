/** `Jane.O'Neil+ops@example.com` → `jane.oneil`: the `@handle` people are mentioned by. */
export function handleFromEmail(email: string): string {
  const local = email.split('@')[0]?.split('+')[0] ?? 'user';
  // Trimmed after cutting to length, so a handle never ends in punctuation a mention cannot match.
  const handle = local.toLowerCase().replace(/[^a-z0-9._-]/g, '').slice(0, 50).replace(/^[._-]+|[._-]+$/g, '');
  return handle || 'user';
}

/** The first free handle among `base`, `base2`, `base3`, … */
export async function uniqueHandle(base: string, taken: (handle: string) => Promise<boolean>): Promise<string> {
  if (!(await taken(base))) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}${n}`;
    if (!(await taken(candidate))) return candidate;
  }
}

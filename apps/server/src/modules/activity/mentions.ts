/**
 * `@handle` mentions in free text. A handle starts with a letter or digit and may hold
 * dots, dashes and underscores, but a mention does not end with one (so "ask @ana." is
 * "ana"). E-mail addresses are not mentions: the `@` must not follow a word character.
 */
const mentionPattern = /(?<![\w.@])@([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)/gi;

export function extractMentions(texts: Array<string | null | undefined>): string[] {
  const handles = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(mentionPattern)) handles.add(match[1].toLowerCase());
  }
  return [...handles];
}

// An unpaired UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text with half of a surrogate pair is not Unicode: PostgreSQL's jsonb refuses it. */
export function hasUnpairedSurrogate(text: string): boolean {
  return unpairedSurrogate.test(text);
}

/**
 * At most `maxLength` UTF-16 code units of `text`, never cutting a surrogate pair in two
 * (an emoji cut in half is not storable text: see hasUnpairedSurrogate).
 */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const code = text.charCodeAt(maxLength - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxLength - 1 : maxLength);
}

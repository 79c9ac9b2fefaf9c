// application/x-www-form-urlencoded decoding the way PHP's parse_str/urldecode read it: `+` is a space,
// `%XX` is a byte, bytes are UTF-8. Broken escapes are kept literally (as PHP does) and reported.

export interface FormDecodeResult {
  /** Pairs in wire order; a key may repeat. */
  pairs: Array<[string, string]>;
  problems: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lossy = new TextDecoder('utf-8');

/** Percent-decodes one component. Returns the text and whether it was well-formed. */
export function formUnescape(component: string): { text: string; malformedEscape: boolean; invalidUtf8: boolean } {
  const src = component.replace(/\+/g, ' ');
  if (!src.includes('%')) return { text: src, malformedEscape: false, invalidUtf8: false };
  const bytes: number[] = [];
  let malformedEscape = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src.charCodeAt(i);
    if (ch === 0x25 /* % */) {
      const hex = src.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      malformedEscape = true;
      bytes.push(0x25);
      continue;
    }
    // Non-escaped characters: re-encode as UTF-8 (they arrived as decoded text already).
    if (ch < 0x80) bytes.push(ch);
    else {
      let j = i + 1;
      while (j < src.length && src.charCodeAt(j) >= 0x80 && src.charCodeAt(j) !== 0x25) j++;
      for (const b of Buffer.from(src.slice(i, j), 'utf8')) bytes.push(b);
      i = j - 1;
    }
  }
  const buf = Uint8Array.from(bytes);
  try {
    return { text: utf8.decode(buf), malformedEscape, invalidUtf8: false };
  } catch {
    return { text: utf8Lossy.decode(buf), malformedEscape, invalidUtf8: true };
  }
}

/** Decodes a whole form body. Empty segments (`a=1&&b=2`) are skipped like PHP does. */
export function decodeForm(body: string): FormDecodeResult {
  const pairs: Array<[string, string]> = [];
  const problems = new Set<string>();
  if (body === '') return { pairs, problems: [] };
  for (const segment of body.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawKey = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    const key = formUnescape(rawKey);
    const value = formUnescape(rawValue);
    if (key.text === '') {
      problems.add(`form field with an empty name ("${truncate(segment)}") was ignored`);
      continue;
    }
    if (key.malformedEscape || value.malformedEscape) {
      problems.add(`form field "${truncate(key.text)}" has a malformed %-escape; kept literally`);
    }
    if (key.invalidUtf8 || value.invalidUtf8) {
      problems.add(`form field "${truncate(key.text)}" decodes to invalid UTF-8; shown with replacement characters`);
    }
    pairs.push([key.text, value.text]);
  }
  return { pairs, problems: [...problems] };
}

/** Last value wins, like PHP's $_POST for non-bracketed keys. */
export function formPairsToRecord(pairs: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of pairs) out[k] = v;
  return { ...out };
}

/** A cheap check that a text looks like a form body (`k=v&k2=v2`), used by detection. */
export function looksLikeForm(text: string): boolean {
  if (text === '' || text.length > 5 * 1024 * 1024) return false;
  return /^[^=&\s{}<>"]+=[^&\s]*(?:&[^=&\s{}<>"]+=[^&\s]*)*&?$/.test(text);
}

function truncate(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

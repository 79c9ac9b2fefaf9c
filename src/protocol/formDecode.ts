// application/x-www-form-urlencoded decoding the way PHP's parse_str/urldecode read it: `+` is a space,
// `%XX` is a byte, bytes are UTF-8. Broken escapes are kept literally (as PHP does) and reported. Linear in the
// body and capped at MAX_FORM_FIELDS fields: nothing here throws per field.
import { isUtf8 } from 'node:buffer';
import { MAX_FORM_FIELDS, ProblemList, quoteClip } from './budgets';

export interface FormDecodeResult {
  /** Pairs in wire order; a key may repeat. */
  pairs: Array<[string, string]>;
  problems: string[];
}

const HEX: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i;
    t[0x61 + i] = 10 + i;
  }
  return t;
})();

function hexValue(code: number): number {
  return code < 128 ? HEX[code]! : -1;
}

/** Percent-decodes one component. Returns the text and whether it was well-formed. */
export function formUnescape(component: string): { text: string; malformedEscape: boolean; invalidUtf8: boolean } {
  const src = component.includes('+') ? component.replace(/\+/g, ' ') : component;
  if (!src.includes('%')) return { text: src, malformedEscape: false, invalidUtf8: false };
  // Non-escaped characters arrived as decoded text already: they go back to UTF-8 bytes, escapes become bytes.
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(src, 'utf8'));
  let length = 0;
  let malformedEscape = false;
  let run = 0; // start of the current run of characters copied as they are
  const copyRun = (end: number) => {
    if (end > run) length += bytes.write(src.slice(run, end), length, 'utf8');
  };
  for (let i = src.indexOf('%'); i !== -1; i = src.indexOf('%', i + 1)) {
    const complete = i + 2 < src.length;
    const hi = complete ? hexValue(src.charCodeAt(i + 1)) : -1;
    const lo = complete ? hexValue(src.charCodeAt(i + 2)) : -1;
    if (hi < 0 || lo < 0) {
      malformedEscape = true;
      continue; // the '%' stays part of the literal run
    }
    copyRun(i);
    bytes[length++] = hi * 16 + lo;
    run = i + 3;
    i += 2;
  }
  copyRun(src.length);
  const out = bytes.subarray(0, length);
  const invalidUtf8 = !isUtf8(out);
  return { text: out.toString('utf8'), malformedEscape, invalidUtf8 };
}

/** Decodes a whole form body. Empty segments (`a=1&&b=2`) are skipped like PHP does. */
export function decodeForm(body: string): FormDecodeResult {
  const pairs: Array<[string, string]> = [];
  const problems = new ProblemList();
  let cut: string | undefined;
  if (body === '') return { pairs, problems: [] };
  let start = 0;
  while (start <= body.length) {
    let amp = body.indexOf('&', start);
    if (amp === -1) amp = body.length;
    if (amp > start) {
      if (pairs.length >= MAX_FORM_FIELDS) {
        cut =
          `more than ${MAX_FORM_FIELDS} form fields: decoded the first ${MAX_FORM_FIELDS}, the rest ` +
          `(from character ${start} of the body text) is kept in the raw body only`;
        break;
      }
      const segment = body.slice(start, amp);
      const eq = segment.indexOf('=');
      const key = formUnescape(eq === -1 ? segment : segment.slice(0, eq));
      const value = formUnescape(eq === -1 ? '' : segment.slice(eq + 1));
      if (key.text === '') {
        problems.add(`form field with an empty name ("${quoteClip(segment)}") was ignored`);
      } else {
        if (key.malformedEscape || value.malformedEscape) problems.add(`form field "${quoteClip(key.text)}" has a malformed %-escape; kept literally`);
        if (key.invalidUtf8 || value.invalidUtf8) problems.add(`form field "${quoteClip(key.text)}" decodes to invalid UTF-8; shown with replacement characters`);
        pairs.push([key.text, value.text]);
      }
    }
    start = amp + 1;
  }
  // What the budget cut comes first: it is never among the problems left out.
  return { pairs, problems: cut ? [cut, ...problems.list()] : problems.list() };
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

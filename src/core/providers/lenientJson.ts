// EnableX's own documentation shows payloads with trailing commas and curly quotes, and senders built from
// those docs exist. This pre-pass repairs exactly those two defects (outside of strings) so JSON.parse can
// read them; anything else stays a parse error. No JSON5 dependency.

const OPENING_QUOTES = new Set(['\u201c', '\u201d', '\u2018', '\u2019', '\u201e', '\u00ab', '\u00bb']);
const CLOSING_FOR: Readonly<Record<string, string[]>> = {
  '\u201c': ['\u201d', '\u201c', '"'],
  '\u201d': ['\u201d', '\u201c', '"'],
  '\u201e': ['\u201d', '\u201c', '"'],
  '\u2018': ['\u2019', '\u2018', "'"],
  '\u2019': ['\u2019', '\u2018', "'"],
  '\u00ab': ['\u00bb', '"'],
  '\u00bb': ['\u00ab', '"'],
};

export interface LenientRepair {
  text: string;
  trailingCommas: number;
  curlyQuotes: number;
}

export function repairLenientJson(input: string): LenientRepair {
  let out = '';
  let trailingCommas = 0;
  let curlyQuotes = 0;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input[i]!;
    if (c === '"') {
      // A normal JSON string: copy through, honouring escapes.
      let j = i + 1;
      while (j < n && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      out += input.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (OPENING_QUOTES.has(c)) {
      const closers = CLOSING_FOR[c]!;
      let j = i + 1;
      let body = '';
      while (j < n && !closers.includes(input[j]!)) {
        const ch = input[j]!;
        if (ch === '\\' && j + 1 < n) {
          body += ch + input[j + 1];
          j += 2;
          continue;
        }
        body += ch === '"' ? '\\"' : ch;
        j++;
      }
      out += `"${body}"`;
      curlyQuotes++;
      i = j + 1;
      continue;
    }
    if (c === ',') {
      let j = i + 1;
      while (j < n && /\s/.test(input[j]!)) j++;
      if (input[j] === '}' || input[j] === ']') {
        trailingCommas++;
        i++;
        continue;
      }
    }
    out += c;
    i++;
  }
  return { text: out, trailingCommas, curlyQuotes };
}

export type LenientParse = { ok: true; value: unknown; repaired: string[] } | { ok: false; problem: string };

/** Strict JSON first; on failure, the repair pass, and a note of what was repaired. */
export function parseLenientJson(text: string, strictParse: (t: string) => { ok: true; value: unknown } | { ok: false; problem: string }): LenientParse {
  const strict = strictParse(text);
  if (strict.ok) return { ok: true, value: strict.value, repaired: [] };
  const repair = repairLenientJson(text);
  if (repair.trailingCommas === 0 && repair.curlyQuotes === 0) return strict;
  const second = strictParse(repair.text);
  if (!second.ok) return strict;
  const repaired: string[] = [];
  if (repair.trailingCommas) repaired.push(`${repair.trailingCommas} trailing comma${repair.trailingCommas === 1 ? '' : 's'}`);
  if (repair.curlyQuotes) repaired.push(`${repair.curlyQuotes} curly-quoted string${repair.curlyQuotes === 1 ? '' : 's'}`);
  return { ok: true, value: second.value, repaired };
}

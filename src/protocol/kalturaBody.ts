// Decodes the body of a Kaltura HTTP notification in every format of kaltura-protocol.md §1.6:
// raw JSON, `data=`+urlencode(JSON), `data=<notification>…</notification>` XML, `data=`+serialize() PHP,
// DataFields form bodies, DataText text, and the empty body of templates without data.
import { decodeForm, formPairsToRecord, formUnescape, looksLikeForm } from './formDecode';
import { looksLikePhpSerialized, phpUnserialize } from './phpUnserialize';
import { decodeUtf8, invalidUtf8Problem } from './utf8Text';
import { parseXml, xmlToValue } from './xmlDecode';

/** How a Kaltura HTTP notification body was encoded (kaltura-protocol.md §1.6). */
export type KalturaBodyFormat = 'json' | 'json-urlencoded' | 'xml' | 'php' | 'fields' | 'text' | 'empty';

export interface DecodedKalturaBody {
  format: KalturaBodyFormat;
  /** json / json-urlencoded / xml / php: the decoded notification envelope (undefined when malformed). */
  value?: unknown;
  /** fields: the form fields. */
  fields?: Record<string, string>;
  /** text, or the raw text of a body that could not be decoded. */
  text?: string;
  problems: string[];
}

export const MAX_JSON_DEPTH = 64;

/** Which §1.6 format this text is in, judged from its first bytes (no full parse). */
export function sniffKalturaBodyFormat(text: string): KalturaBodyFormat {
  const t = text.trimStart();
  if (t === '') return 'empty';
  if (t.startsWith('{') || t.startsWith('[')) return 'json';
  if (t.startsWith('<')) return 'xml';
  if (t.startsWith('data=')) {
    const rest = t.slice(5);
    if (rest.startsWith('<')) return 'xml';
    if (looksLikePhpSerialized(rest)) return 'php';
    if (/^(?:%7B|%5B|\{)/i.test(rest) && !/&[^=&]+=/.test(rest)) return 'json-urlencoded';
  }
  if (looksLikeForm(t)) return 'fields';
  return 'text';
}

export function decodeKalturaBody(body: Buffer, contentType?: string): DecodedKalturaBody {
  const problems: string[] = [];
  const { text, invalidAt } = decodeUtf8(body);
  if (invalidAt !== undefined) problems.push(invalidUtf8Problem(invalidAt));
  const format = sniffKalturaBodyFormat(text);
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();

  switch (format) {
    case 'empty':
      return { format, problems };
    case 'json': {
      // DataText content that happens to be JSON goes out with libcurl's form default when data.contentType is unset.
      if (mime && !mime.includes('json') && mime !== 'text/plain' && mime !== 'application/x-www-form-urlencoded') {
        problems.push(`body is JSON but Content-Type is "${mime}"; Kaltura sends application/json for JSON object data`);
      }
      const parsed = parseJsonBounded(text.trim());
      if (!parsed.ok) return { format, text, problems: [...problems, parsed.problem] };
      return { format, value: parsed.value, problems };
    }
    case 'json-urlencoded': {
      const raw = text.trimStart().slice(5).trimEnd();
      const unescaped = formUnescape(raw);
      if (unescaped.malformedEscape) problems.push('data= value has a malformed %-escape; kept literally');
      const parsed = parseJsonBounded(unescaped.text);
      if (!parsed.ok) return { format, text: unescaped.text, problems: [...problems, parsed.problem] };
      return { format, value: parsed.value, problems };
    }
    case 'xml': {
      const trimmed = text.trimStart();
      const xml = trimmed.startsWith('data=') ? trimmed.slice(5) : trimmed;
      try {
        const root = parseXml(xml);
        const value = xmlToValue(root);
        if (root.name !== 'notification') {
          problems.push(`XML root element is <${root.name}>, expected <notification> (Kaltura wraps the object data in it)`);
          return { format, value: { [root.name]: value }, problems };
        }
        return { format, value: typeof value === 'string' ? {} : value, problems };
      } catch (err) {
        return { format, text: xml, problems: [...problems, `malformed XML: ${(err as Error).message}`] };
      }
    }
    case 'php': {
      const start = body.indexOf('data=') + 5;
      try {
        const value = phpUnserialize(body.subarray(start), { maxDepth: MAX_JSON_DEPTH });
        return { format, value, problems };
      } catch (err) {
        return { format, text: text.trimStart().slice(5), problems: [...problems, `malformed PHP serialize() data: ${(err as Error).message}`] };
      }
    }
    case 'fields': {
      const form = decodeForm(text.trim());
      return { format, fields: formPairsToRecord(form.pairs), problems: problems.concat(form.problems) };
    }
    case 'text':
      if (mime.includes('json')) problems.push('Content-Type says JSON but the body is neither JSON nor data=…; shown as text');
      // A form Content-Type on free text is normal here: DataText without data.contentType gets libcurl's default.
      return { format, text, problems };
  }
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; problem: string };

/** JSON.parse with a nesting-depth check first, so hostile nesting is refused with a clear reason. */
export function parseJsonBounded(text: string, maxDepth = MAX_JSON_DEPTH): JsonParseResult {
  const depth = atMostBrackets(text, maxDepth) ? 0 : jsonNestingDepth(text);
  if (depth > maxDepth) return { ok: false, problem: `JSON nested deeper than ${maxDepth} levels; not parsed` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const message = (err as Error).message;
    const m = /position (\d+)/.exec(message);
    const where = m ? ` at offset ${m[1]}` : '';
    return { ok: false, problem: `malformed JSON${where}: ${message}` };
  }
}

/**
 * True when the text holds at most `limit` opening brackets in all (strings included), so no nesting can be
 * deeper: the common case, decided by native substring search instead of a character-by-character scan.
 */
function atMostBrackets(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) {
      if (++count > limit) return false;
    }
  }
  return true;
}

/** Maximum bracket depth outside strings (a linear scan; does not validate). */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

// The Events filter box's query language, in the spirit of ngrok's inspector and GitHub's search box:
// `status:5xx path:/hooks -header:x-kaltura-signature app:>=400 duration:>200 type:entry 0_abc`.
// Terms are ANDed; a leading `-` negates one; values may be "quoted". Pure (no vscode import), unit-tested.
import type { VerificationStatus, WebhookEvent } from '../../core/events/model';

/** The keys the filter box understands, with what each matches (shown when a key is unknown). */
export const QUERY_KEYS = {
  type: 'substring of the event type',
  status: "the receiver's answer to the sender: 200, 5xx, >=400",
  app: "your app's answer when the event was forwarded: 200, 5xx, >=400, error",
  duration: 'milliseconds your app took to answer: >200, <50',
  path: 'substring of the request path and query',
  header: 'a header by name (header:x-kaltura-signature) or name and value (header:user-agent=curl)',
  body: 'substring of the body text',
  is: 'verified, failed, unsigned, duplicate, replay, edited, sample, forwarded, not-persisted',
} as const;
type QueryKey = keyof typeof QUERY_KEYS;

export type QueryTerm =
  | { key: 'text' | 'type' | 'path' | 'body'; negate: boolean; value: string }
  | { key: 'status' | 'app' | 'duration'; negate: boolean; value: string; test: (n: number | undefined) => boolean }
  | { key: 'header'; negate: boolean; value: string; name: string; contains?: string }
  | { key: 'is'; negate: boolean; value: string };

export interface EventQuery {
  /** The query as typed, for the view message and the filter box. */
  source: string;
  terms: QueryTerm[];
}

export interface ParsedQuery {
  query: EventQuery;
  /** One message per term that could not be read; the term is left out. */
  errors: string[];
}

const IS_VALUES = new Set(['verified', 'failed', 'unsigned', 'duplicate', 'replay', 'edited', 'sample', 'forwarded', 'not-persisted']);
/** A query is typed by hand: a few dozen terms is plenty, and the budget keeps a pasted blob from costing per event. */
const MAX_TERMS = 32;

/** Splits on spaces outside double quotes; `key:"a b"` and `"a b"` keep their spaces. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"]+|"[^"]*"?)+/g;
  for (const m of text.matchAll(re)) out.push(m[0]);
  return out;
}

function unquote(value: string): string {
  return value.replace(/"/g, '');
}

/** `200`, `5xx`, `>=400`, `<50`, `!=200`: a predicate over a number, or a message. */
function numberTest(value: string, allowClass: boolean): ((n: number | undefined) => boolean) | string {
  const cls = /^([1-5])xx$/i.exec(value);
  if (cls && allowClass) {
    const hundreds = Number(cls[1]);
    return (n) => n !== undefined && Math.floor(n / 100) === hundreds;
  }
  const cmp = /^(>=|<=|>|<|=|!=)?(\d{1,9})$/.exec(value);
  if (!cmp) return allowClass ? 'a number (200), a class (5xx) or a comparison (>=400)' : 'a number of milliseconds or a comparison (>200, <50)';
  const op = cmp[1] ?? '=';
  const x = Number(cmp[2]);
  switch (op) {
    case '>':
      return (n) => n !== undefined && n > x;
    case '>=':
      return (n) => n !== undefined && n >= x;
    case '<':
      return (n) => n !== undefined && n < x;
    case '<=':
      return (n) => n !== undefined && n <= x;
    case '!=':
      return (n) => n !== undefined && n !== x;
    default:
      return (n) => n === x;
  }
}

export function parseEventQuery(text: string): ParsedQuery {
  const terms: QueryTerm[] = [];
  const errors: string[] = [];
  const all = tokens(text.trim());
  if (all.length > MAX_TERMS) errors.push(`only the first ${MAX_TERMS} terms are used`);
  for (const raw of all.slice(0, MAX_TERMS)) {
    const negate = raw.startsWith('-') && raw.length > 1;
    const token = negate ? raw.slice(1) : raw;
    const colon = /^([a-z]+):/i.exec(token);
    if (!colon) {
      const value = unquote(token).toLowerCase();
      if (value) terms.push({ key: 'text', negate, value });
      continue;
    }
    const key = colon[1]!.toLowerCase();
    const value = unquote(token.slice(colon[0].length));
    if (!Object.prototype.hasOwnProperty.call(QUERY_KEYS, key)) {
      errors.push(`unknown key "${key}:"; use ${Object.keys(QUERY_KEYS).map((k) => `${k}:`).join(' ')}`);
      continue;
    }
    if (!value) {
      errors.push(`"${key}:" needs a value (${QUERY_KEYS[key as QueryKey]})`);
      continue;
    }
    switch (key as QueryKey) {
      case 'type':
      case 'path':
      case 'body':
        terms.push({ key: key as 'type' | 'path' | 'body', negate, value: value.toLowerCase() });
        break;
      case 'status':
      case 'duration': {
        const test = numberTest(value, key === 'status');
        if (typeof test === 'string') errors.push(`"${key}:${value}": expected ${test}`);
        else terms.push({ key: key as 'status' | 'duration', negate, value, test });
        break;
      }
      case 'app': {
        if (value.toLowerCase() === 'error') {
          terms.push({ key: 'app', negate, value, test: (n) => n === -1 });
          break;
        }
        const test = numberTest(value, true);
        if (typeof test === 'string') errors.push(`"app:${value}": expected ${test}, or error`);
        else terms.push({ key: 'app', negate, value, test });
        break;
      }
      case 'header': {
        const eq = value.indexOf('=');
        const name = (eq < 0 ? value : value.slice(0, eq)).toLowerCase();
        if (!name) errors.push(`"header:${value}": name the header`);
        else terms.push({ key: 'header', negate, value, name, ...(eq < 0 ? {} : { contains: value.slice(eq + 1).toLowerCase() }) });
        break;
      }
      case 'is': {
        const v = value.toLowerCase();
        if (!IS_VALUES.has(v)) errors.push(`"is:${value}": expected one of ${[...IS_VALUES].join(', ')}`);
        else terms.push({ key: 'is', negate, value: v });
        break;
      }
    }
  }
  return { query: { source: text.trim(), terms }, errors };
}

/** Text searched by a bare word: summary, type, ids, path and the first 64 KiB of the body. */
export function searchableText(event: WebhookEvent): string {
  const p = event.parsed;
  const objectId = p.kind === 'kaltura' || p.kind === 'kaltura-legacy' ? (p.objectId ?? '') : '';
  return `${event.summary}\n${event.type}\n${objectId}\n${event.request.path}\n${bodyText(event)}`.toLowerCase();
}

function bodyText(event: WebhookEvent): string {
  return event.request.body.subarray(0, 65536).toString('utf8');
}

function is(event: WebhookEvent, value: string): boolean {
  switch (value) {
    case 'duplicate':
      return event.duplicateOf !== null && event.duplicateOf !== undefined;
    case 'replay':
    case 'sample':
      return event.origin === value;
    case 'edited':
      return event.replayEdited === true;
    case 'forwarded':
      return event.forward !== undefined;
    case 'not-persisted':
      return event.persisted === false;
    default:
      return event.verification.status === (value as VerificationStatus);
  }
}

function termMatches(event: WebhookEvent, term: QueryTerm, text: () => string): boolean {
  switch (term.key) {
    case 'text':
      return text().includes(term.value);
    case 'type':
      return event.type.toLowerCase().includes(term.value);
    case 'path':
      return event.request.path.toLowerCase().includes(term.value);
    case 'body':
      return bodyText(event).toLowerCase().includes(term.value);
    case 'status':
      return term.test(event.response && event.response.status > 0 ? event.response.status : undefined);
    case 'app':
      return event.forward !== undefined && term.test(event.forward.status ?? (event.forward.error !== undefined ? -1 : undefined));
    case 'duration':
      return term.test(event.forward?.durationMs);
    case 'header': {
      const value = event.request.headers[term.name];
      if (value === undefined) return false;
      return term.contains === undefined || value.toLowerCase().includes(term.contains);
    }
    case 'is':
      return is(event, term.value);
  }
}

export function matchesQuery(event: WebhookEvent, query: EventQuery): boolean {
  let text: string | undefined;
  const lazyText = () => (text ??= searchableText(event));
  for (const term of query.terms) {
    if (termMatches(event, term, lazyText) === term.negate) return false;
  }
  return true;
}

// Decoding and re-encoding of the body formats a stub must handle (kaltura-protocol.md §1.6, §2.1): raw JSON,
// `data=` + JSON / url-encoded JSON / XML / PHP serialize, form fields. Used to infer types and to redact fixtures;
// the generated stubs carry their own equivalent decoders in their language (the TypeScript XML reader is this one).
import { setOwn } from '../../protocol/ownProps';
import { decodeXmlEntities, parseXml } from './stubs/typescript/verifyXml';

export { decodeXmlEntities };

export type StubBodyFormat = 'json' | 'xml' | 'fields' | 'text' | 'empty';

export interface DecodedBody {
  format: StubBodyFormat;
  data: unknown;
  /** The body started with `data=` (stripped before decoding, after verifying). */
  dataPrefix: boolean;
  /** The `data=` value was url-encoded (template urlEncode=true). */
  urlEncoded: boolean;
}

/** PHP urldecode: `+` is a space; a malformed escape is kept as is rather than throwing. */
export function formDecode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** PHP urlencode (RFC 1738): everything but [A-Za-z0-9_.-] is %XX, a space is `+`. */
export function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** Ordered key/value pairs of a form body; PHP-style: no `[]`/dot mangling, so keys stay exactly as sent. */
export function parseFormPairs(body: string): Array<[string, string]> {
  if (body === '') return [];
  return body
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))];
    });
}

export function encodeFormPairs(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join('&');
}

export function formPairsToRecord(pairs: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) setOwn(out, k, v); // later duplicates win, as in PHP
  return out;
}

export function encodeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The stub's own XML reader: what a generated handler makes of an XML body, the fixture's types are made of. */
export const parseSimpleXml = parseXml;

function looksLikeForm(body: string): boolean {
  return /^[^=&\s{}<>]+=[^&]*(&[^=&]+=[^&]*)*$/.test(body);
}

/** Decodes a Kaltura HTTP-notification body the way the generated stubs do (after verification). */
export function decodeKalturaBody(body: string, contentType = ''): DecodedBody {
  if (body.trim() === '') return { format: 'empty', data: null, dataPrefix: false, urlEncoded: false };
  if (body.startsWith('data=')) {
    const rest = body.slice(5);
    if (/^%(7B|5B)/i.test(rest)) {
      return { format: 'json', data: tryJson(formDecode(rest)), dataPrefix: true, urlEncoded: true };
    }
    if (/^\s*[[{]/.test(rest)) return { format: 'json', data: tryJson(rest), dataPrefix: true, urlEncoded: false };
    if (/^\s*</.test(rest)) return { format: 'xml', data: tryXml(rest), dataPrefix: true, urlEncoded: false };
    if (/^%3C/i.test(rest)) return { format: 'xml', data: tryXml(formDecode(rest)), dataPrefix: true, urlEncoded: true };
    if (!rest.includes('&')) return { format: 'text', data: rest, dataPrefix: true, urlEncoded: false };
  }
  if (/^\s*[[{]/.test(body)) return { format: 'json', data: tryJson(body), dataPrefix: false, urlEncoded: false };
  if (/^\s*</.test(body)) return { format: 'xml', data: tryXml(body), dataPrefix: false, urlEncoded: false };
  // Form fields win over the Content-Type, as in the generated stubs (kaltura-captures.json, fields-contentType-json-*).
  if (looksLikeForm(body)) {
    return { format: 'fields', data: formPairsToRecord(parseFormPairs(body)), dataPrefix: false, urlEncoded: false };
  }
  if (/json/i.test(contentType)) return { format: 'json', data: tryJson(body), dataPrefix: false, urlEncoded: false };
  return { format: 'text', data: body, dataPrefix: false, urlEncoded: false };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`the body looks like JSON but does not parse: ${(err as Error).message}`);
  }
}

function tryXml(text: string): unknown {
  try {
    return parseSimpleXml(text);
  } catch (err) {
    throw new Error(`the body looks like XML but does not parse: ${(err as Error).message}`);
  }
}

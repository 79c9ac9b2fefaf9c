// "Edit and Replay": a captured request as a JSON document the user edits (method, path, headers, the decoded body),
// and the request it stands for, with the body re-encoded the way Kaltura encodes that format and signed by choice.
// Like ngrok's "replay with modifications", but a Kaltura signature does not break: `signature: "resign"` signs
// the new bytes with the configured secret and the algorithm named in X-KALTURA-HASH-ALGO.
import { z } from 'zod';
import { joinHeaderPairs } from '../events/headerRecord';
import type { CapturedRequest } from '../events/model';
import { decodeKalturaBody, type KalturaBodyFormat } from '../../protocol/kalturaBody';
import { kalturaXml, phpJsonEncode, phpSerialize } from '../../protocol/phpEncoding';
import { hashAlgoFromHeader, kalturaSignature, phpHttpBuildQuery, phpUrlencode } from '../../protocol/signing';
import { EDITED_HEADER, REPLAY_HEADER } from '../../protocol/workbench';
import { isConnectionHeader } from './hopByHop';
import type { SignatureChoice } from './editedReplay';

/** Shown instead of an Authorization value: the document never holds credentials; sending restores the original. */
export const KEPT_CREDENTIAL = '(the original value is sent; replace it to send another)';

const BODY_FORMATS = ['json', 'json-urlencoded', 'xml', 'php', 'fields', 'text', 'empty'] as const satisfies readonly KalturaBodyFormat[];

const documentSchema = z.object({
  method: z.string().regex(/^[A-Z]{1,16}$/, 'an HTTP method in capitals, e.g. POST'),
  path: z.string().startsWith('/', 'starts with "/"').max(8192),
  headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name'), z.string().regex(/^[^\r\n\0]*$/, 'one line, no NUL')),
  bodyFormat: z.enum(BODY_FORMATS),
  body: z.unknown(),
  signature: z.enum(['resign', 'keep', 'unsigned']),
  sendTo: z.enum(['receiver', 'app']),
  replayOf: z.string().regex(/^[\w-]{1,80}$/).optional(),
});

export type RequestDocument = z.infer<typeof documentSchema>;

/** What the document stands for: a request ready for replayRequest(). */
export type DocumentRequest = Pick<CapturedRequest, 'method' | 'path' | 'rawHeaders' | 'headers' | 'body'>;

const NOT_IN_DOCUMENT = new Set(['content-length', REPLAY_HEADER, EDITED_HEADER]);

/** The document for a captured request: headers in wire order (minus framing), the body decoded for editing. */
export function requestDocumentFor(
  request: Pick<CapturedRequest, 'method' | 'path' | 'rawHeaders' | 'headers' | 'body'>,
  options: { sendTo: 'receiver' | 'app'; replayOf?: string },
): RequestDocument {
  const headers: Record<string, string> = {};
  for (const [name, value] of request.rawHeaders) {
    const lower = name.toLowerCase();
    if (NOT_IN_DOCUMENT.has(lower) || isConnectionHeader(lower)) continue;
    headers[name] = lower === 'authorization' || lower === 'proxy-authorization' ? KEPT_CREDENTIAL : value;
  }
  const decoded = decodeKalturaBody(request.body, request.headers['content-type']);
  let bodyFormat: KalturaBodyFormat = decoded.format;
  let body: unknown;
  if (decoded.format === 'fields' && decoded.fields) body = decoded.fields;
  else if (decoded.value !== undefined && decoded.format !== 'fields') body = decoded.value;
  else if (decoded.format === 'empty') body = '';
  else {
    // Not decodable (malformed, or not Kaltura's): edit the text as it is.
    bodyFormat = 'text';
    body = request.body.toString('utf8');
  }
  // DataText that happens to be JSON was written by a person, not by Kaltura's encoder: edit it as the text it is,
  // so an unedited send is the same bytes.
  if ((bodyFormat === 'json' || bodyFormat === 'json-urlencoded') && !encodeDocumentBody(bodyFormat, body).equals(request.body)) {
    bodyFormat = 'text';
    body = request.body.toString('utf8');
  }
  const signed = Object.keys(headers).some((h) => h.toLowerCase() === 'x-kaltura-signature');
  return {
    method: request.method || 'POST',
    path: request.path || '/',
    headers,
    bodyFormat,
    body,
    signature: signed ? 'resign' : 'unsigned',
    sendTo: options.sendTo,
    ...(options.replayOf ? { replayOf: options.replayOf } : {}),
  };
}

export type ParsedDocument = { ok: true; document: RequestDocument } | { ok: false; problems: string[] };

export function parseRequestDocument(text: string): ParsedDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`not JSON: ${(err as Error).message}`] };
  }
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`) };
  const doc = parsed.data;
  const problem = bodyProblem(doc.bodyFormat, doc.body);
  return problem ? { ok: false, problems: [`body: ${problem}`] } : { ok: true, document: doc };
}

function bodyProblem(format: KalturaBodyFormat, body: unknown): string | undefined {
  switch (format) {
    case 'json':
    case 'json-urlencoded':
    case 'php':
    case 'xml':
      return body !== null && typeof body === 'object' ? undefined : `a ${format} body is an object or an array (the decoded notification)`;
    case 'fields':
      return body !== null && typeof body === 'object' && !Array.isArray(body) ? undefined : 'a fields body is an object of form fields';
    case 'text':
      return typeof body === 'string' ? undefined : 'a text body is a string';
    case 'empty':
      return body === '' || body === null || body === undefined ? undefined : 'an empty body is ""; pick another bodyFormat to send data';
  }
}

/** The bytes Kaltura would send for `body` in `format` (the sandbox's notification encoder does the same). */
export function encodeDocumentBody(format: KalturaBodyFormat, body: unknown): Buffer {
  switch (format) {
    case 'json':
      return Buffer.from(phpJsonEncode(body), 'utf8');
    case 'json-urlencoded':
      return Buffer.from(`data=${phpUrlencode(phpJsonEncode(body))}`, 'utf8');
    case 'xml':
      return Buffer.from(`data=<notification>${kalturaXml(body)}</notification>`, 'utf8');
    case 'php':
      return Buffer.from(`data=${phpSerialize(body)}`, 'utf8');
    case 'fields':
      return Buffer.from(
        phpHttpBuildQuery(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
        'utf8',
      );
    case 'text':
      return Buffer.from(String(body), 'utf8');
    case 'empty':
      return Buffer.alloc(0);
  }
}

export class DocumentSendError extends Error {}

/**
 * The request `doc` stands for. `original` restores kept credentials; `secret` signs when the document asks to
 * re-sign. The replay header links a copy sent to the receiver to its original, marked as edited.
 */
export function requestFromDocument(
  doc: RequestDocument,
  options: { secret?: string; original?: Pick<CapturedRequest, 'headers'> },
): DocumentRequest {
  const body = encodeDocumentBody(doc.bodyFormat, doc.body);
  const rawHeaders: Array<[string, string]> = [];
  let algoHeader: string | undefined;
  for (const [name, value] of Object.entries(doc.headers)) {
    const lower = name.toLowerCase();
    if (NOT_IN_DOCUMENT.has(lower) || isConnectionHeader(lower)) continue;
    if (lower === 'x-kaltura-hash-algo') algoHeader = value;
    if ((lower === 'x-kaltura-signature' || lower === 'x-kaltura-hash-algo') && doc.signature !== 'keep') continue;
    if (value === KEPT_CREDENTIAL) {
      const kept = options.original?.headers[lower];
      if (kept === undefined) throw new DocumentSendError(`headers.${name}: the original value is no longer in memory; write the value to send, or remove the header`);
      rawHeaders.push([name, kept]);
      continue;
    }
    rawHeaders.push([name, value]);
  }
  if (doc.signature === 'resign') {
    if (options.secret === undefined) throw new DocumentSendError('signature "resign" needs a Kaltura secret: connect an account (or use the sandbox), or choose "keep" or "unsigned"');
    const algo = hashAlgoFromHeader(algoHeader);
    if (algoHeader !== undefined && !algo.ok) throw new DocumentSendError(`headers.X-KALTURA-HASH-ALGO: "${algoHeader}" is not sha1, sha256 or sha512`);
    const a = algo.ok ? algo.algo : 'sha1';
    // A GET template sends its data as `url?data` and signs the data (§1.7): what follows the path's last '?'.
    const query = doc.method === 'GET' && body.length === 0 && doc.path.includes('?');
    const signed = query ? Buffer.from(doc.path.slice(doc.path.lastIndexOf('?') + 1), 'latin1') : body;
    const signature: Array<[string, string]> = [['X-KALTURA-SIGNATURE', kalturaSignature(options.secret, signed, a)]];
    // Kaltura sends no algorithm header for sha1 on older servers; keep what the document said.
    if (algoHeader !== undefined) signature.push(['X-KALTURA-HASH-ALGO', algoHeader]);
    rawHeaders.unshift(...signature);
  }
  if (doc.sendTo === 'receiver' && doc.replayOf) rawHeaders.push([EDITED_HEADER, '1']);
  return { method: doc.method, path: doc.path, rawHeaders, headers: joinHeaderPairs(rawHeaders), body };
}

/** The document as the editor shows it: two-space JSON with the fields in a fixed, readable order. */
export function formatRequestDocument(doc: RequestDocument): string {
  const { method, path, headers, bodyFormat, body, signature, sendTo, replayOf } = doc;
  return `${JSON.stringify({ method, path, headers, bodyFormat, body, signature, sendTo, ...(replayOf ? { replayOf } : {}) }, null, 2)}\n`;
}

export type { SignatureChoice };

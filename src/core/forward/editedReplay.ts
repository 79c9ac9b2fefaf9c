// Edit and replay: a captured request with fields changed (`--set path=value`), re-encoded the way Kaltura encodes
// that body format, and signed by choice: re-signed with the configured secret and the original algorithm, the
// original signature kept (so you can watch a verifier reject it), or sent unsigned.
import { joinHeaderPairs } from '../events/headerRecord';
import type { CapturedRequest, WebhookEvent } from '../events/model';
import { decodeKalturaBody, sniffKalturaBodyFormat } from '../../protocol/kalturaBody';
import { phpJsonEncode } from '../../protocol/phpEncoding';
import { hashAlgoFromHeader, kalturaSignature, phpHttpBuildQuery, phpUrlencode } from '../../protocol/signing';
import { applySettings } from './setPath';

export type SignatureChoice = 'resign' | 'keep' | 'unsigned';

export class EditError extends Error {}

/** The body with the settings applied, in the same format (JSON, data=urlencoded JSON, or form fields). */
export function editBody(request: CapturedRequest, settings: readonly string[]): Buffer {
  if (settings.length === 0) return request.body;
  const text = request.body.toString('utf8');
  const format = sniffKalturaBodyFormat(text);
  const decoded = decodeKalturaBody(request.body, request.headers['content-type']);
  if ((format === 'json' || format === 'json-urlencoded') && typeof decoded.value === 'object' && decoded.value !== null && !Array.isArray(decoded.value)) {
    const value = decoded.value as Record<string, unknown>;
    applySettings(value, settings);
    const json = phpJsonEncode(value);
    return Buffer.from(format === 'json' ? json : `data=${phpUrlencode(json)}`, 'utf8');
  }
  if (format === 'fields' && decoded.fields) {
    const fields: Record<string, unknown> = { ...decoded.fields };
    applySettings(fields, settings);
    return Buffer.from(phpHttpBuildQuery(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])), 'utf8');
  }
  throw new EditError(`--set edits JSON and form bodies; this one is ${format}: replay it unedited, or edit the raw body by hand`);
}

/** A copy of the event whose request carries the edited body and the chosen signature headers. */
export function editedEvent(event: WebhookEvent, settings: readonly string[], signature: SignatureChoice, secret?: string): WebhookEvent {
  const body = editBody(event.request, settings);
  const rawHeaders: Array<[string, string]> = [];
  const algo = hashAlgoFromHeader(event.request.headers['x-kaltura-hash-algo']);
  for (const [name, value] of event.request.rawHeaders) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue;
    if ((lower === 'x-kaltura-signature' || lower === 'x-kaltura-hash-algo') && signature !== 'keep') continue;
    rawHeaders.push([name, value]);
  }
  if (signature === 'resign') {
    if (secret === undefined) throw new EditError('re-signing needs the secret: name its environment variable (--kaltura-secret-env), or choose --keep-signature or --unsigned');
    const a = algo.ok ? algo.algo : 'sha1';
    rawHeaders.unshift(['X-KALTURA-SIGNATURE', kalturaSignature(secret, body, a)], ['X-KALTURA-HASH-ALGO', a]);
  }
  return { ...event, request: { ...event.request, rawHeaders, headers: joinHeaderPairs(rawHeaders), body, bodySize: body.length, bodyTruncated: false } };
}

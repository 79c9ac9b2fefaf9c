// Remembers which payloads hold a `decoded` value that is a pure function of the request body, so the event log can
// store the body once and re-derive the rest on load. Only the provider that decoded the body may vouch for that;
// the mark is checked by identity (same payload, same decoded value, same body Buffer), so a payload edited or
// built elsewhere is simply written in full.
import type { KalturaNotificationPayload } from './model';

interface DecodedMark {
  decoded: unknown;
  body: Buffer;
}

const marks = new WeakMap<object, DecodedMark>();

/** Called by the Kaltura provider when payload.decoded is decodeKalturaBody(body).value for a JSON body. */
export function markDecodedFromBody(payload: KalturaNotificationPayload, body: Buffer): void {
  if (payload.decoded !== undefined) marks.set(payload, { decoded: payload.decoded, body });
}

/** True when payload.decoded can be recomputed from `body` (and payload.object, when it is decoded.object). */
export function decodedDerivesFromBody(payload: object, body: Buffer): boolean {
  const mark = marks.get(payload);
  return mark !== undefined && mark.body === body && mark.decoded === (payload as { decoded?: unknown }).decoded;
}

// What the event log asks of whoever knows the payloads (the providers), so it can keep a request's body once and
// still give back every payload member on reload. The log itself knows no provider: the codec is injected by the
// code that opens the store (the session engine's store, `kwh listen`, `kwh replay`).
import type { CapturedRequest, EventPayload, WebhookEvent } from './model';

/**
 * A payload member the log leaves out (written as 0, so the key keeps its place) because it comes back on reload:
 * - `decoded`: the codec recomputes it from the stored request;
 * - `object`: it is `decoded.object`;
 * - `fields`: `decoded` is the same object as `fields`.
 */
export type DerivedMember = 'decoded' | 'object' | 'fields';

export interface PayloadCodec {
  /** The members of this event's payload that come back exactly from its request, as listed above. */
  derivedMembers(event: WebhookEvent): readonly DerivedMember[];
  /** `payload.decoded` recomputed from the request, for a payload whose line says it is derived. */
  decode(payload: EventPayload, request: CapturedRequest): unknown;
}

/** Without a codec every payload is written whole (and a line that left `decoded` out reads back without it). */
export const WHOLE_PAYLOADS: PayloadCodec = {
  derivedMembers: () => [],
  decode: () => undefined,
};

// The providers' side of the event log's PayloadCodec: which payload members come back from the stored request, and
// how. Injected into every store that is persisted (events never imports providers).
import type { DerivedMember, PayloadCodec } from '../events/payloadCodec';
import { decodeKalturaBody } from '../../protocol/kalturaBody';
import { kalturaDecodedIsBody } from './kaltura';

const DECODED: readonly DerivedMember[] = ['decoded'];
const DECODED_AND_OBJECT: readonly DerivedMember[] = ['decoded', 'object'];
const FIELDS: readonly DerivedMember[] = ['fields'];
const NONE: readonly DerivedMember[] = [];

export const providerPayloadCodec: PayloadCodec = {
  derivedMembers(event) {
    const payload = event.parsed;
    if (payload.kind !== 'kaltura') return NONE;
    if (kalturaDecodedIsBody(payload, event.request)) {
      const decoded = payload.decoded;
      const objectIsDecoded = payload.object !== undefined && typeof decoded === 'object' && decoded !== null && (decoded as Record<string, unknown>)['object'] === payload.object;
      return objectIsDecoded ? DECODED_AND_OBJECT : DECODED;
    }
    return payload.fields !== undefined && payload.decoded === payload.fields ? FIELDS : NONE;
  },
  decode(payload, request) {
    return payload.kind === 'kaltura' ? decodeKalturaBody(request.body, request.headers['content-type']).value : undefined;
  },
};

// The event store a session keeps its events in: the events folder's store with the providers' payload codec, so
// its log holds each body once and re-derives the decoded payload on reload. The extension and `kwh listen` open
// their stores here; `kwh replay` reads logs with the same codec.
import { EventStore, type EventStoreCreateOptions } from '../events/eventStore';
import { providerPayloadCodec } from '../providers/payloadCodec';

export { providerPayloadCodec as sessionPayloadCodec };

export function openSessionStore(options: Omit<EventStoreCreateOptions, 'payloadCodec'> = {}): EventStore {
  return new EventStore({ ...options, payloadCodec: providerPayloadCodec });
}

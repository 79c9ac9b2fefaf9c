// Builds real events for store tests through buildEvents(), with hand-written notifications.
import { buildEvents } from '../../../src/core/events/buildEvents';
import { newRequestId } from '../../../src/core/events/eventIds';
import type { CapturedRequest, WebhookEvent } from '../../../src/core/events/model';

export function capturedRequest(body: string | Buffer, path = '/hook'): CapturedRequest {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    requestId: newRequestId(),
    receivedAt: new Date().toISOString(),
    method: 'POST',
    path,
    httpVersion: '1.1',
    rawHeaders: [['Content-Type', 'application/json'], ['Host', '127.0.0.1']],
    headers: { 'content-type': 'application/json', host: '127.0.0.1' },
    body: bytes,
    bodySize: bytes.length,
    bodyTruncated: false,
  };
}

export function eventWithKey(dedupeKey: string | undefined, body = `{"k":"${dedupeKey}"}`): WebhookEvent {
  const [event] = buildEvents(capturedRequest(body), [
    {
      source: 'kaltura',
      type: 'OBJECT_CHANGED:ENTRY',
      summary: `test ${dedupeKey}`,
      ...(dedupeKey === undefined ? {} : { dedupeKey }),
      parsed: { kind: 'kaltura', bodyFormat: 'json' },
      verification: { status: 'unsigned' },
      problems: [],
    },
  ]);
  return event!;
}

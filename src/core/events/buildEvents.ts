// Turns one captured request and the notifications a provider found in it into events (one per notification,
// all sharing the request). The store fills in duplicateOf/deliveryCount when they are added.
import { newEventId } from './eventIds';
import type { CapturedRequest, ParsedNotification, ResponseRecord, WebhookEvent } from './model';

export interface BuildEventsOptions {
  origin?: WebhookEvent['origin'];
  response?: ResponseRecord;
  /** Transport problems (timeouts, limits, aborts) that apply to every event of the request. */
  problems?: string[];
}

/** indexInRequest is 0-based; countInRequest is the number of notifications in the request. */
export function buildEvents(
  request: CapturedRequest,
  notifications: ParsedNotification[],
  options: BuildEventsOptions = {},
): WebhookEvent[] {
  const transportProblems = options.problems ?? [];
  return notifications.map((n, index) => {
    const event: WebhookEvent = {
      id: newEventId(),
      requestId: request.requestId,
      indexInRequest: index,
      countInRequest: notifications.length,
      receivedAt: request.receivedAt,
      source: n.source,
      type: n.type,
      summary: n.summary,
      verification: n.verification,
      duplicateOf: null,
      deliveryCount: 1,
      request,
      parsed: n.parsed,
      problems: [...transportProblems, ...n.problems],
    };
    if (n.dedupeKey !== undefined) event.dedupeKey = n.dedupeKey;
    if (options.response) event.response = { ...options.response };
    if (options.origin) event.origin = options.origin;
    return event;
  });
}

/** The notification used when a request could not be classified at all (a provider bug or a transport failure). */
export function unclassifiedNotification(request: CapturedRequest, problem: string): ParsedNotification {
  const contentType = request.headers['content-type'];
  return {
    source: 'unknown',
    type: 'unknown',
    summary: `${request.method || '?'} ${request.path || '?'} · ${problem}`,
    parsed: contentType ? { kind: 'unknown', contentType } : { kind: 'unknown' },
    verification: { status: 'unsigned' },
    problems: [problem],
  };
}

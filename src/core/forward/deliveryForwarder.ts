// `--forward-to` for the CLI and auto-forward for the extension, like `stripe listen --forward-to`: every request
// that arrives over the network is sent on to the user's app with its original bytes and headers (hop-by-hop
// removed), one at a time so a slow app never slows the receiver (which has already answered). The app's answer is
// recorded on the request's events and announced through the store.
import type { ForwardRecord, WebhookEvent } from '../events/model';
import type { EventStoreApi } from '../events/storeTypes';
import { replayRequest } from './replayRequest';

/** Bytes of the app's response body kept on the event. */
export const FORWARD_BODY_KEPT = 4096;

export interface ForwarderOptions {
  /** Read on every request, so a changed setting applies at once; undefined pauses forwarding. */
  target: () => string | undefined;
  timeoutMs?: number;
  /** Called once per forwarded request, with its first event and the record stored on every event of the request. */
  onResult?: (event: WebhookEvent, record: ForwardRecord) => void;
}

export class DeliveryForwarder {
  private queue: Promise<void> = Promise.resolve();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly store: EventStoreApi,
    private readonly options: ForwarderOptions,
  ) {
    this.subscription = store.onChange((change) => {
      const target = options.target();
      if (!target) return;
      // A multi-notification yields several events from one request: the request goes to the app once.
      const requests = new Map<string, WebhookEvent[]>();
      for (const e of change.added) {
        // Samples go to the app as deliveries would (that is what they are for); replays are sent by the user.
        const origin = e.origin ?? 'network';
        if ((origin !== 'network' && origin !== 'sample') || e.request.method === '') continue;
        const list = requests.get(e.requestId) ?? [];
        list.push(e);
        requests.set(e.requestId, list);
      }
      for (const events of requests.values()) this.enqueue(events, target);
    });
  }

  /** Resolves once every forward queued so far has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private enqueue(events: WebhookEvent[], target: string): void {
    this.queue = this.queue.then(async () => {
      const record = await forwardAndRecord(this.store, events, target, this.options.timeoutMs);
      this.options.onResult?.(events[0]!, record);
    });
  }
}

/**
 * Sends the request of `events` to the app and records the outcome (answer or error) on every one of them, replacing
 * what an earlier forward recorded, so the views never show an old answer beside a new failure. Never throws.
 */
export async function forwardAndRecord(store: EventStoreApi, events: WebhookEvent[], target: string, timeoutMs = 10_000): Promise<ForwardRecord> {
  const record: ForwardRecord = { url: target, at: new Date().toISOString() };
  try {
    const result = await replayRequest(events[0]!, target, { purpose: 'forward', timeoutMs, maxResponseBytes: FORWARD_BODY_KEPT });
    Object.assign(record, { url: result.url, status: result.status, durationMs: result.durationMs, headers: result.headers, body: result.body, bodyTruncated: result.bodyTruncated });
  } catch (err) {
    record.error = err instanceof Error ? err.message : String(err);
  }
  for (const e of events) e.forward = record;
  store.markUpdated(events);
  return record;
}

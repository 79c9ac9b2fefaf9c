// Optional `stripe listen --forward-to` behaviour: every request that arrives over the network is re-sent to
// kalturaWebhooks.forwardUrl when kalturaWebhooks.forward.auto is on. One request at a time per event batch,
// so a slow local app never slows the receiver (which has already answered).
import type { WebhookEvent } from '../core/events/model';
import type { EventStoreApi } from '../core/events/storeTypes';
import { replayRequest } from '../core/forward/replayRequest';
import { errorMessage, type WorkbenchLog } from './log';
import { readSettings } from './settings';

export class AutoForwarder {
  private subscription: { dispose(): void } | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly log: WorkbenchLog) {}

  attach(store: EventStoreApi): void {
    this.subscription?.dispose();
    this.subscription = store.onChange((change) => {
      const settings = readSettings();
      if (!settings.forwardAuto || !settings.forwardUrl) return;
      // A multi-notification yields several events from one request: forward the request once.
      const requests = new Map<string, WebhookEvent>();
      for (const e of change.added) if ((e.origin ?? 'network') === 'network' && !requests.has(e.requestId)) requests.set(e.requestId, e);
      for (const event of requests.values()) this.enqueue(event, settings.forwardUrl);
    });
  }

  private enqueue(event: WebhookEvent, target: string): void {
    this.queue = this.queue.then(async () => {
      try {
        const result = await replayRequest(event, target, { timeoutMs: 10_000 });
        this.log.info(`auto-forwarded ${event.id} to ${result.url}: HTTP ${result.status} in ${Math.round(result.durationMs)} ms`);
      } catch (err) {
        this.log.warn(`auto-forward of ${event.id} to ${target} failed: ${errorMessage(err)}`);
      }
    });
  }

  dispose(): void {
    this.subscription?.dispose();
  }
}

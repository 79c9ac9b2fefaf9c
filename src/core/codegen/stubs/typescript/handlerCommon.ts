// stub:drop What every framework's webhookHandler.ts holds: your function and the hand-off after the answer.
import { loadConfig, processWebhook, SeenIds, type ReceivedNotification, type WebhookConfig, type WebhookOutcome } from './webhookVerify';
import { HoleRootSchema, type HoleRoot } from './webhookTypes';
export { loadConfig, processWebhook, SeenIds, type WebhookConfig }; // stub:drop for the server files, which get the imports above

export const WEBHOOK_PATH = 'HOLE_PATH';
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * YOUR CODE GOES HERE. Called once per new notification, after the 200 has been sent, so slow work here does not
 * make the sender time out and retry. Throwing only logs: the delivery has already been acknowledged.
 */
export async function holeUserFunction(notification: HoleRoot, received: ReceivedNotification): Promise<void> {
  // TODO: act on the notification (look up the object, enqueue a job, update your database...).
  void notification;
  void received;
}

/** A payload of another shape than the captured one (another template, body format or event type). */
export async function onUnrecognizedPayload(received: ReceivedNotification, problem: string): Promise<void> {
  console.warn('[webhook] ' + received.dedupeKey + ': not a HoleRoot (' + problem + ')');
}

/** Checks the decoded payload against the captured shape, then calls your function. */
export async function dispatchNotification(received: ReceivedNotification): Promise<void> {
  const parsed = HoleRootSchema.safeParse(received.data);
  if (!parsed.success) {
    await onUnrecognizedPayload(received, parsed.error.message);
    return;
  }
  await holeUserFunction(parsed.data, received);
}

/** Hands accepted notifications to your code once the answer is on its way. */
export function dispatchAfterAnswer(outcome: WebhookOutcome): void {
  for (const received of outcome.accepted) {
    setImmediate(() => {
      dispatchNotification(received).catch((err: unknown) => {
        console.error('[webhook] ' + received.dedupeKey + ' failed in holeUserFunction: ' + (err instanceof Error ? err.stack : String(err)));
      });
    });
  }
}

/** GET notifications carry the signed text in the query string (Kaltura appends "?" + body). */
export function rawQuery(url: string): Buffer {
  const q = url.indexOf('?');
  return Buffer.from(q === -1 ? '' : url.slice(q + 1), 'utf8');
}

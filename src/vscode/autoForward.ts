// Optional `stripe listen --forward-to` behaviour: every request that arrives over the network is sent on to
// kalturaWebhooks.forwardUrl when kalturaWebhooks.forward.auto is on, or to a debug session's kalturaWebhooksForwardTo
// while that session runs (core/forward/deliveryForwarder.ts). The app's
// answer is recorded on the event; a forward that starts failing is said once, not once per request.
import * as vscode from 'vscode';
import type { EventStoreApi } from '../core/events/storeTypes';
import { DeliveryForwarder } from '../core/forward/deliveryForwarder';
import type { WorkbenchLog } from './log';
import { readSettings } from './settings';

export class AutoForwarder {
  private forwarder: DeliveryForwarder | undefined;
  private failing = false;
  /** Debug sessions that forward while they run (launch attribute kalturaWebhooksForwardTo), oldest first. */
  private readonly debugTargets = new Map<string, string>();

  constructor(private readonly log: WorkbenchLog) {}

  /** While the session runs, every delivery goes to `url` (the newest session's URL wins over the settings). */
  forwardWhileDebugging(sessionId: string, url: string): void {
    this.debugTargets.set(sessionId, url);
    this.failing = false;
  }

  /** The session ended; returns the URL it forwarded to, if it did. */
  stopDebugForwarding(sessionId: string): string | undefined {
    const url = this.debugTargets.get(sessionId);
    this.debugTargets.delete(sessionId);
    return url;
  }

  attach(store: EventStoreApi): void {
    this.forwarder?.dispose();
    this.forwarder = new DeliveryForwarder(store, {
      target: () => {
        const debugging = [...this.debugTargets.values()].at(-1);
        if (debugging) return debugging;
        const settings = readSettings();
        return settings.forwardAuto && settings.forwardUrl ? settings.forwardUrl : undefined;
      },
      onResult: (event, record) => {
        if (record.error === undefined) {
          this.log.info(`auto-forwarded ${event.id} to ${record.url}: HTTP ${record.status} in ${Math.round(record.durationMs ?? 0)} ms`);
          this.failing = false;
          return;
        }
        this.log.warn(`auto-forward of ${event.id} failed: ${record.error}`);
        if (!this.failing) {
          this.failing = true;
          void vscode.window.showWarningMessage(vscode.l10n.t('Kaltura Webhooks: auto-forward is failing: {0}', record.error));
        }
      },
    });
  }

  dispose(): void {
    this.forwarder?.dispose();
  }
}

// Optional `stripe listen --forward-to` behaviour: every request that arrives over the network is sent on to
// kalturaWebhooks.forwardUrl when kalturaWebhooks.forward.auto is on, or to a debug session's kalturaWebhooksForwardTo
// while that session runs. The session engine does the sending (core/forward/deliveryForwarder.ts) and records the
// app's answer on the event; this class says where to, and says once, not once per request, that forwarding fails.
import * as vscode from 'vscode';
import type { ForwardRecord, WebhookEvent } from '../core/events/model';
import type { WorkbenchLog } from './log';
import { readSettings } from './settings';

export class AutoForwarder {
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

  /** Where the next delivery goes, read per request; undefined: nowhere. */
  target(): string | undefined {
    const debugging = [...this.debugTargets.values()].at(-1);
    if (debugging) return debugging;
    const settings = readSettings();
    return settings.forwardAuto && settings.forwardUrl ? settings.forwardUrl : undefined;
  }

  onResult(event: WebhookEvent, record: ForwardRecord): void {
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
  }
}

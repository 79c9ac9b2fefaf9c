// What the inspector buttons and the event context-menu commands do. Each returns the line shown to the user.
// Exports redact credential headers (core/forward) and never contain the secrets the workbench holds.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { WebhookEvent } from '../core/events/model';
import { exportEventsJson, toCurl, toHttpFile } from '../core/forward/exports';
import { forwardAndRecord } from '../core/forward/deliveryForwarder';
import { replayRequest } from '../core/forward/replayRequest';
import { parseTargetUrl } from '../core/forward/targetUrl';
import type { InspectorAction } from './inspector/protocol';
import { rawRequestUri } from './rawRequestDocuments';
import { errorMessage, type WorkbenchLog } from './log';
import { readSettings, updateSetting } from './settings';
import { ReceiverNotRunningError, type Workbench } from './workbench';

export class EventActions {
  constructor(
    private readonly workbench: Workbench,
    private readonly log: WorkbenchLog,
    private readonly generateHandler: (event: WebhookEvent) => Promise<string>,
  ) {}

  event(id: string): WebhookEvent {
    const event = this.workbench.store.get(id);
    if (!event) throw new Error(vscode.l10n.t('Event {0} is no longer in memory (cleared or evicted); pick one from the Events view.', id));
    return event;
  }

  run(action: InspectorAction, id: string): Promise<string> {
    const event = this.event(id);
    switch (action) {
      case 'copyCurl':
        return this.copyAsCurl(event);
      case 'openRaw':
        return this.openRaw(event);
      case 'replay':
        return this.replay(event);
      case 'forward':
        return this.forward(event);
      case 'generateHandler':
        return this.generateHandler(event);
      case 'exportJson':
        return this.exportEvents([event], 'json');
      case 'exportHttp':
        return this.exportEvents([event], 'http');
    }
  }

  /** curl aimed at the receiver when it runs (so it re-delivers), else at the original Host. */
  async copyAsCurl(event: WebhookEvent): Promise<string> {
    const receiver = this.workbench.receiver;
    const text = toCurl(event, receiver ? { targetUrl: receiver.url } : {});
    await vscode.env.clipboard.writeText(text);
    return 'Copied a curl command to the clipboard (credential headers redacted).';
  }

  async openRaw(event: WebhookEvent): Promise<string> {
    const doc = await vscode.workspace.openTextDocument(rawRequestUri(event));
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return 'Opened the raw request in a read-only editor.';
  }

  async replay(event: WebhookEvent): Promise<string> {
    const receiver = this.workbench.receiver;
    if (!receiver) throw new ReceiverNotRunningError(vscode.l10n.t('Replay sends the request to the receiver'));
    const result = await replayRequest(event, receiver.url);
    this.log.info(`replayed ${event.id} to ${result.url}: ${result.status} in ${Math.round(result.durationMs)} ms`);
    return `Replayed to the receiver: HTTP ${result.status}. The new delivery appears in the Events view.`;
  }

  async forward(event: WebhookEvent, target?: string): Promise<string> {
    let url = target ?? readSettings().forwardUrl;
    if (!target) {
      const entered = await vscode.window.showInputBox({
        title: vscode.l10n.t('Forward to a local app'),
        prompt: vscode.l10n.t('URL of your app. A bare origin keeps the event path; a URL with a path is used as given.'),
        value: url || 'http://127.0.0.1:3000/',
        validateInput: (v) => {
          try {
            parseTargetUrl(v);
            return undefined;
          } catch (err) {
            return errorMessage(err);
          }
        },
      });
      if (!entered) return 'Forward cancelled.';
      url = entered;
      if (url !== readSettings().forwardUrl) await updateSetting('forwardUrl', url);
    }
    // Recorded on the request's events like an auto-forward, so the inspector shows this answer (or this failure).
    const store = this.workbench.store;
    const events = store.all().filter((e) => e.requestId === event.requestId);
    const record = await forwardAndRecord(store, events.length ? events : [event], url);
    if (record.error !== undefined) {
      this.log.warn(`forward of ${event.id} to ${record.url} failed: ${record.error}`);
      throw new Error(vscode.l10n.t('Forward to {0} failed: {1}', record.url, record.error));
    }
    this.log.info(`forwarded ${event.id} to ${record.url}: ${record.status} in ${Math.round(record.durationMs ?? 0)} ms`);
    const body = (record.body ?? '').length > 200 ? `${record.body!.slice(0, 200)}…` : (record.body ?? '');
    return `Forwarded to ${record.url}: HTTP ${record.status}${body ? ` · ${body}` : ''}`;
  }

  async exportEvents(events: WebhookEvent[], format: 'json' | 'http' | 'curl'): Promise<string> {
    if (!events.length) throw new Error(vscode.l10n.t('There are no events to export.'));
    const ext = format === 'json' ? 'json' : format === 'http' ? 'http' : 'sh';
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, events.length === 1 ? `kaltura-event-${events[0]!.id}.${ext}` : `kaltura-events-${stamp}.${ext}`),
      filters: { [format === 'json' ? 'JSON' : format === 'http' ? 'HTTP request file' : 'Shell script']: [ext] },
    });
    if (!uri) return 'Export cancelled.';
    const receiver = this.workbench.receiver;
    const target = receiver ? { targetUrl: receiver.url } : {};
    const text =
      format === 'json'
        ? exportEventsJson(events)
        : format === 'http'
          ? toHttpFile(events, target)
          : `#!/bin/sh\n${events.map((e) => toCurl(e, target)).join('\n\n')}\n`;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    this.log.info(`exported ${events.length} event(s) as ${format} to ${uri.fsPath}`);
    return `Exported ${events.length} event(s) to ${uri.fsPath} (credential headers redacted).`;
  }
}

// What the inspector buttons and the event context-menu commands do. Each returns the line shown to the user.
// Exports redact credential headers (core/forward) and never contain the secrets the workbench holds.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { WebhookEvent } from '../core/events/model';
import { exportEventsJson, toCurl, toHttpFile } from '../core/forward/exports';
import { replayRequest } from '../core/forward/replayRequest';
import { parseTargetUrl } from '../core/forward/targetUrl';
import type { InspectorAction } from './inspector/protocol';
import { errorMessage, type WorkbenchLog } from './log';
import { readSettings, updateSetting } from './settings';
import type { Workbench } from './workbench';

export class EventActions {
  constructor(
    private readonly workbench: Workbench,
    private readonly log: WorkbenchLog,
    private readonly generateHandler: (event: WebhookEvent) => Promise<string>,
  ) {}

  event(id: string): WebhookEvent {
    const event = this.workbench.store.get(id);
    if (!event) throw new Error(`Event ${id} is no longer in memory (cleared or evicted); pick one from the Events view.`);
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
    const r = event.request;
    const head = [`${r.method} ${r.path} HTTP/${r.httpVersion}`, ...r.rawHeaders.map(([k, v]) => `${k}: ${v}`)].join('\n');
    const text = r.body.toString('utf8');
    const isText = Buffer.from(text, 'utf8').equals(r.body);
    const content = `${head}\n\n${isText ? text : `[binary body, ${r.body.length} bytes, base64]\n${r.body.toString('base64')}`}`;
    const doc = await vscode.workspace.openTextDocument({ content, language: 'http' });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return 'Opened the raw request in an editor.';
  }

  async replay(event: WebhookEvent): Promise<string> {
    const receiver = this.workbench.receiver;
    if (!receiver) throw new Error('The receiver is not running; start it first ("Kaltura Webhooks: Start Receiver").');
    const result = await replayRequest(event, receiver.url);
    this.log.info(`replayed ${event.id} to ${result.url}: ${result.status} in ${Math.round(result.durationMs)} ms`);
    return `Replayed to the receiver: HTTP ${result.status}. The new delivery appears in the Events view.`;
  }

  async forward(event: WebhookEvent, target?: string): Promise<string> {
    let url = target ?? readSettings().forwardUrl;
    if (!target) {
      const entered = await vscode.window.showInputBox({
        title: 'Forward to a local app',
        prompt: 'URL of your app. A bare origin keeps the event path; a URL with a path is used as given.',
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
    const result = await replayRequest(event, url);
    this.log.info(`forwarded ${event.id} to ${result.url}: ${result.status} in ${Math.round(result.durationMs)} ms`);
    const body = result.body.length > 200 ? `${result.body.slice(0, 200)}…` : result.body;
    return `Forwarded to ${result.url}: HTTP ${result.status}${body ? ` · ${body}` : ''}`;
  }

  async exportEvents(events: WebhookEvent[], format: 'json' | 'http' | 'curl'): Promise<string> {
    if (!events.length) throw new Error('There are no events to export.');
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

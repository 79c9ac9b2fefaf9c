// "Open Raw Body" shows the request as a read-only document of its own scheme: it is never dirty, never asks to be
// saved when closed, and reopening the same event shows the same tab. The text is built from the event in the store
// each time VS Code asks for it.
import * as vscode from 'vscode';
import type { WebhookEvent } from '../core/events/model';

export const RAW_REQUEST_SCHEME = 'kaltura-webhook-raw';

/** The request line, the headers as received, a blank line and the body (as text, or base64 when not UTF-8). */
export function rawRequestText(event: WebhookEvent): string {
  const r = event.request;
  const head = [`${r.method} ${r.path} HTTP/${r.httpVersion}`, ...r.rawHeaders.map(([k, v]) => `${k}: ${v}`)].join('\n');
  const text = r.body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(r.body);
  return `${head}\n\n${isText ? text : `[binary body, ${r.body.length} bytes, base64]\n${r.body.toString('base64')}`}`;
}

export function rawRequestUri(event: WebhookEvent): vscode.Uri {
  // The .http name lets an HTTP language extension (REST Client and others) colour it.
  return vscode.Uri.from({ scheme: RAW_REQUEST_SCHEME, path: `/${event.id}.http` });
}

export class RawRequestDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly find: (id: string) => WebhookEvent | undefined) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = uri.path.replace(/^\//, '').replace(/\.http$/, '');
    const event = this.find(id);
    if (!event) return `Event ${id} is no longer in memory (cleared or evicted); open it again from the Events view.`;
    return rawRequestText(event);
  }
}

// Host side of the payload inspector: one reusable webview panel, strict CSP with a fresh crypto nonce per render,
// assets from dist/media and media/inspector only, every inbound message validated by the protocol's zod schema.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebhookEvent } from '../../core/events/model';
import { CONTEXT_KEYS } from '../commandIds';
import type { WorkbenchLog } from '../log';
import { buildInspectorModel } from './viewModel';
import { parseWebviewMessage, type HostToWebview, type InspectorAction } from './protocol';

export interface InspectorHost {
  getEvent(id: string): WebhookEvent | undefined;
  deliveriesOf(id: string): WebhookEvent[];
  /** Runs an inspector button; resolves to the text shown under the buttons. */
  runAction(action: InspectorAction, eventId: string): Promise<string>;
}

export const INSPECTOR_VIEW_TYPE = 'kalturaWebhooks.inspector';

export class InspectorPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private eventId: string | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: InspectorHost,
    private readonly log: WorkbenchLog,
  ) {}

  private inspectedVerified = false;

  get currentEventId(): string | undefined {
    return this.panel ? this.eventId : undefined;
  }

  show(eventId: string): void {
    this.eventId = eventId;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        INSPECTOR_VIEW_TYPE,
        'Payload Inspector',
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        {
          enableScripts: true,
          enableCommandUris: false,
          localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'media'), vscode.Uri.joinPath(this.extensionUri, 'media')],
        },
      );
      // A tab icon is an image: currentColor would be black on every theme, so each theme kind gets its own stroke.
      this.panel.iconPath = {
        light: vscode.Uri.joinPath(this.extensionUri, 'resources', 'inspector-light.svg'),
        dark: vscode.Uri.joinPath(this.extensionUri, 'resources', 'inspector-dark.svg'),
      };
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
      }, undefined, this.disposables);
      this.panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw), undefined, this.disposables);
      this.panel.onDidChangeViewState((e) => {
        // Without retainContextWhenHidden the page reloads when shown again; it re-sends `ready`.
        if (!e.webviewPanel.visible) this.ready = false;
      }, undefined, this.disposables);
      this.panel.webview.html = this.html(this.panel.webview);
    } else {
      this.panel.reveal(undefined, false);
      this.send();
    }
  }

  /** Re-renders the current event (e.g. after its delivery count changed). */
  refresh(changedIds: Iterable<string>): void {
    if (!this.panel || !this.eventId) return;
    for (const id of changedIds) {
      if (id === this.eventId) {
        this.send();
        return;
      }
    }
  }

  private send(): void {
    if (!this.panel || !this.ready || !this.eventId) return;
    const event = this.host.getEvent(this.eventId);
    if (!event) {
      this.post({ type: 'missing', eventId: this.eventId, message: 'This event is no longer in memory (cleared or evicted). Open another event from the Events view.' });
      return;
    }
    this.panel.title = `Inspector: ${truncate(event.summary || event.type, 40)}`;
    // The walkthrough's last step completes on this key: clicking an event row runs openEvent with arguments,
    // which VS Code delegates internally, so an onCommand completion event would never fire for it.
    if (event.verification.status === 'verified' && !this.inspectedVerified) {
      this.inspectedVerified = true;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.inspectedVerifiedEvent, true);
    }
    this.post({ type: 'show', model: buildInspectorModel(event, this.host.deliveriesOf(event.id), vscode.env.language) });
  }

  private post(message: HostToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`inspector: ignored an invalid message from the webview: ${parsed.error}`);
      return;
    }
    const msg = parsed.message;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.send();
        return;
      case 'openEvent':
        this.show(msg.eventId);
        return;
      case 'action':
        try {
          const text = await this.host.runAction(msg.action, msg.eventId);
          this.post({ type: 'actionResult', action: msg.action, ok: true, message: text });
        } catch (err) {
          const text = err instanceof Error ? err.message : String(err);
          this.post({ type: 'actionResult', action: msg.action, ok: false, message: text });
        }
        return;
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'media', 'inspector.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'inspector', 'inspector.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${style}">
<title>Payload Inspector</title>
</head>
<body>
<main id="inspector" data-testid="inspector"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

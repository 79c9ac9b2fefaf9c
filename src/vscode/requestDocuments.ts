// Edit and Replay, and custom sample events: a request opens as a JSON document (kaltura-request:/<key>/request.json)
// held in memory by this file system, so it can be edited and saved without a file on disk and closed without a
// prompt. "Send Request" (the editor's title bar) reads the editor's current text, re-encodes and signs it as the
// document says, and sends it to the receiver or to the app.
import * as vscode from 'vscode';
import { joinHeaderPairs } from '../core/events/headerRecord';
import type { CapturedRequest } from '../core/events/model';
import { replayRequest } from '../core/forward/replayRequest';
import { DocumentSendError, formatRequestDocument, parseRequestDocument, requestFromDocument, type RequestDocument } from '../core/forward/requestDocument';
import { parseTargetUrl } from '../core/forward/targetUrl';
import { SAMPLE_TOKEN_HEADER } from '../protocol/workbench';
import type { WorkbenchLog } from './log';
import { readSettings } from './settings';
import { ReceiverNotRunningError, type Workbench } from './workbench';

export const REQUEST_SCHEME = 'kaltura-request';

interface OpenRequest {
  data: Uint8Array;
  mtime: number;
  /** The captured (or sample) request's headers: where a kept credential's value comes from. */
  original: Pick<CapturedRequest, 'headers'>;
  /** For a custom sample: the kind, so a successful send is remembered as that kind's last payload. */
  sampleKind?: string;
}

export interface SendOutcome {
  url: string;
  status: number;
  durationMs: number;
  document: RequestDocument;
}

export function requestUri(key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REQUEST_SCHEME, path: `/${key.replace(/[^\w-]+/g, '_').slice(0, 80)}/request.json` });
}

export class RequestDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly files = new Map<string, OpenRequest>();

  constructor(
    private readonly workbench: Workbench,
    private readonly log: WorkbenchLog,
  ) {}

  /** Opens `document` (or `text`, a remembered edit) beside the current editor. */
  async open(key: string, content: RequestDocument | string, original: Pick<CapturedRequest, 'headers'>, sampleKind?: string): Promise<vscode.Uri> {
    const uri = requestUri(key);
    const text = typeof content === 'string' ? content : formatRequestDocument(content);
    this.files.set(uri.path, { data: Buffer.from(text, 'utf8'), mtime: Date.now(), original, ...(sampleKind ? { sampleKind } : {}) });
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    // Beside the editor in use (the inspector, say); in the editor area itself when nothing is open there.
    const column = vscode.window.activeTextEditor || vscode.window.tabGroups.activeTabGroup.activeTab ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: column });
    return uri;
  }

  /** Sends what the editor of `uri` shows now (saved or not). */
  async send(uri: vscode.Uri): Promise<SendOutcome & { sampleKind?: string; text: string }> {
    const open = this.files.get(uri.path);
    if (!open) throw new Error(vscode.l10n.t('This request document is no longer open; use Edit and Replay… again.'));
    const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText() ?? Buffer.from(open.data).toString('utf8');
    const parsed = parseRequestDocument(text);
    if (!parsed.ok) throw new DocumentSendError(vscode.l10n.t('The request document has problems: {0}', parsed.problems.join('; ')));
    const doc = parsed.document;
    const secret = this.workbench.credentials().kalturaSecrets[0]?.secret;
    const built = requestFromDocument(doc, { ...(secret !== undefined ? { secret } : {}), original: open.original });
    const url = this.target(doc);
    // A custom sample sent to this window's receiver is recorded as a sample: the token proves it came from here.
    const token = open.sampleKind && doc.sendTo === 'receiver' ? this.workbench.receiver?.sampleToken : undefined;
    const rawHeaders: Array<[string, string]> = token ? [...built.rawHeaders, [SAMPLE_TOKEN_HEADER, token]] : built.rawHeaders;
    const request = token ? { ...built, rawHeaders, headers: joinHeaderPairs(rawHeaders) } : built;
    // A copy sent to the receiver names its original (X-Kwh-Replay-Of), so it shows as an edited replay of it.
    const linked = doc.sendTo === 'receiver' && doc.replayOf !== undefined;
    const result = await replayRequest({ id: doc.replayOf ?? 'custom', request }, url, { purpose: linked ? 'replay' : 'forward' });
    this.log.info(`sent the edited request${doc.replayOf ? ` of ${doc.replayOf}` : ''} to ${result.url}: HTTP ${result.status} in ${Math.round(result.durationMs)} ms`);
    return { url: result.url, status: result.status, durationMs: result.durationMs, document: doc, text, ...(open.sampleKind ? { sampleKind: open.sampleKind } : {}) };
  }

  private target(doc: RequestDocument): string {
    if (doc.sendTo === 'receiver') {
      const receiver = this.workbench.receiver;
      if (!receiver) throw new ReceiverNotRunningError(vscode.l10n.t('The edited request is sent to the receiver'));
      return receiver.url;
    }
    const forwardUrl = readSettings().forwardUrl;
    if (!forwardUrl) throw new Error(vscode.l10n.t('"sendTo": "app" sends to kalturaWebhooks.forwardUrl, which is not set: set it (or run Forward to App… once), or send to "receiver".'));
    parseTargetUrl(forwardUrl);
    return forwardUrl;
  }

  // FileSystemProvider: a flat, in-memory folder of request documents.
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: file.mtime, mtime: file.mtime, size: file.data.byteLength };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('request documents have no folders');
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.NoPermissions('open a request with Edit and Replay… first');
    file.data = content;
    file.mtime = Date.now();
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('request documents cannot be renamed');
  }

  dispose(): void {
    this.emitter.dispose();
    this.files.clear();
  }
}

// Payload inspector webview. Built with DOM APIs only: payload data only ever reaches the page through
// textContent / attributes set by value, never innerHTML, so a body full of <script> renders as text.
import type { HostToWebview, InspectorAction, InspectorModel, JsonValue, WebviewToHost } from '../../src/vscode/inspector/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  setState(state: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('inspector') as HTMLElement;

const ACTIONS: Array<{ action: InspectorAction; label: string; title: string }> = [
  { action: 'copyCurl', label: 'Copy as curl', title: 'Copy a curl command that re-sends this request' },
  { action: 'openRaw', label: 'Open raw', title: 'Open the raw request in an editor' },
  { action: 'replay', label: 'Replay', title: 'Send this request to the receiver again' },
  { action: 'forward', label: 'Forward…', title: 'Forward this request to a local app URL' },
  { action: 'generateHandler', label: 'Generate handler…', title: 'Generate a handler stub from this payload' },
  { action: 'exportJson', label: 'Export JSON', title: 'Export this event as JSON' },
  { action: 'exportHttp', label: 'Export .http', title: 'Export this request as a .http file' },
];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) {
    if (child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function section(id: string, title: string, ...children: Array<Node | undefined>): HTMLElement {
  return el('section', { id: `${id}-section`, class: 'section' }, el('h2', {}, title), ...children);
}

function kvTable(id: string, rows: Array<[string, string]>, headers?: [string, string]): HTMLTableElement {
  const table = el('table', { id, class: 'kv' });
  if (headers) table.append(el('thead', {}, el('tr', {}, el('th', {}, headers[0]), el('th', {}, headers[1]))));
  const body = el('tbody');
  for (const [k, v] of rows) body.append(el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v)));
  table.append(body);
  return table;
}

function jsonTree(value: JsonValue | undefined, key?: string, depth = 0): HTMLElement {
  const label = key === undefined ? undefined : el('span', { class: 'key' }, key);
  if (value !== null && typeof value === 'object') {
    const entries: Array<[string, JsonValue]> = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as [string, JsonValue])
      : Object.entries(value);
    const details = el('details', { class: 'node' });
    if (depth < 3) details.open = true;
    const kind = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
    details.append(el('summary', {}, label, el('span', { class: 'count' }, kind)));
    const list = el('div', { class: 'children' });
    for (const [k, v] of entries) list.append(jsonTree(v, k, depth + 1));
    details.append(list);
    return details;
  }
  const type = value === null ? 'null' : typeof value;
  const text = value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : String(value);
  return el('div', { class: 'leaf' }, label, el('span', { class: `value ${type}` }, text));
}

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

/** The request as forwarded (left) and the app's answer to it (right), as ngrok's inspector pairs them. */
function exchangeSection(model: InspectorModel): HTMLElement {
  const x = model.appExchange!;
  const bodyOf = (text: string, id: string) => (text === '' ? el('div', { class: 'muted', id }, 'no body') : el('pre', { id }, text));
  const request = el('div', { class: 'pane', id: 'exchange-request' },
    el('h3', {}, 'Request forwarded'),
    el('pre', {}, model.requestLine),
    kvTable('exchange-request-headers', x.requestHeaders),
    bodyOf(model.rawBody.binary ? `(${model.rawBody.size} bytes of binary)` : model.rawBody.text, 'exchange-request-body'),
  );
  const answer = el('div', { class: 'pane', id: 'exchange-response' },
    el('h3', {}, 'Your app answered'),
    el('pre', { id: 'exchange-status', class: x.answered ? '' : 'error' }, x.statusLine),
    el('div', { class: 'muted' }, x.url),
    kvTable('exchange-response-headers', x.headers),
    bodyOf(x.bodyTruncated ? `${x.body}…` : x.body, 'exchange-response-body'),
  );
  return section('exchange', 'Request and your app\'s answer', el('div', { class: 'exchange' }, request, answer));
}

function render(model: InspectorModel): void {
  vscode.setState({ eventId: model.eventId });
  root.replaceChildren();
  root.dataset['eventId'] = model.eventId;

  root.append(
    el('header', { id: 'title' },
      el('h1', { id: 'summary' }, model.summary || model.type),
      el('div', { id: 'meta', class: 'muted' }, `${model.sourceLabel} · ${model.type} · ${model.receivedAtLocal}${model.origin !== 'network' ? ` · ${model.origin}` : ''}`),
    ),
  );

  const v = model.verification;
  const statusText = v.status === 'verified' ? 'Verified' : v.status === 'failed' ? 'Verification failed' : 'Unsigned';
  const vRows: Array<[string, string]> = [];
  if (v.method) vRows.push(['Method', v.method]);
  if (v.algorithm) vRows.push(['Algorithm', v.algorithm]);
  if (v.secretLabel) vRows.push(['Secret', v.secretLabel]);
  if (v.received) vRows.push(['Received', v.received]);
  if (v.expected) vRows.push(['Expected', v.expected]);
  if (v.reason) vRows.push(['Reason', v.reason]);
  root.append(
    section('verification', 'Verification',
      el('div', { id: 'verification-status', class: `badge ${v.status}`, 'data-status': v.status }, statusText),
      kvTable('verification-details', vRows),
    ),
  );

  const actions = el('div', { id: 'actions', role: 'toolbar' });
  for (const a of ACTIONS) {
    const button = el('button', { type: 'button', 'data-action': a.action, title: a.title }, a.label);
    button.addEventListener('click', () => post({ type: 'action', action: a.action, eventId: model.eventId }));
    actions.append(button);
  }
  root.append(actions, el('div', { id: 'action-result', role: 'status', 'aria-live': 'polite' }));

  root.append(section('request', 'Request',
    el('pre', { id: 'request-line' }, model.requestLine),
    model.remoteAddress ? el('div', { class: 'muted' }, `from ${model.remoteAddress} · received ${model.receivedAtLocal} (${model.receivedAtIso})`) : el('div', { class: 'muted' }, `received ${model.receivedAtLocal} (${model.receivedAtIso})`),
  ));

  if (model.appExchange) root.append(exchangeSection(model));

  if (model.details.length) root.append(section('details', 'Details', kvTable('details', model.details)));

  if (model.duplicates.length) {
    const list = el('ol', { id: 'duplicates' });
    for (const d of model.duplicates) {
      const text = `${d.label} · ${d.receivedAtLocal}`;
      if (d.current) list.append(el('li', { class: 'current', 'data-event-id': d.id }, `${text} (this one)`));
      else {
        const link = el('button', { type: 'button', class: 'link', 'data-event-id': d.id }, text);
        link.addEventListener('click', () => post({ type: 'openEvent', eventId: d.id }));
        list.append(el('li', {}, link));
      }
    }
    root.append(section('duplicates', 'Deliveries of this notification', list));
  }

  if (model.problems.length) {
    const list = el('ul', { id: 'problems' });
    for (const p of model.problems) list.append(el('li', {}, p));
    root.append(section('problems', 'Problems', list));
  }

  if (model.response) {
    root.append(section('response', 'Response',
      el('div', { id: 'response' }, `${model.response.status} (${model.response.mode})${model.response.kalturaWouldRetry ? ' · Kaltura would retry this delivery' : ''}`)));
  }

  root.append(section('headers', `Headers (${model.headers.length})`, kvTable('headers', model.headers, ['Name', 'Value'])));

  const decoded = el('div', { id: 'decoded-body', 'data-format': model.decoded.format });
  if (model.decoded.value === undefined) decoded.append(el('div', { class: 'muted' }, 'Nothing to decode.'));
  else if (typeof model.decoded.value === 'string') decoded.append(el('pre', {}, model.decoded.value));
  else decoded.append(jsonTree(model.decoded.value));
  root.append(section('decoded', `Decoded body · ${model.decoded.label}`, decoded));

  const raw = model.rawBody;
  const notes: string[] = [`${raw.size} bytes`];
  if (raw.binary) notes.push('binary, shown as base64');
  if (raw.truncatedForDisplay) notes.push(`first ${raw.shownBytes} bytes shown; use "Open raw" for all`);
  if (raw.truncatedByReceiver) notes.push('cut at the receiver limit');
  root.append(section('raw', 'Raw body',
    el('div', { class: 'muted', id: 'raw-body-info' }, notes.join(' · ')),
    el('pre', { id: 'raw-body' }, raw.text),
  ));
}

window.addEventListener('message', (e: MessageEvent) => {
  const msg = e.data as HostToWebview;
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
  if (msg.type === 'show') render(msg.model);
  else if (msg.type === 'missing') {
    root.replaceChildren(el('div', { id: 'missing', class: 'muted' }, msg.message));
  } else if (msg.type === 'actionResult') {
    const out = document.getElementById('action-result');
    if (out) {
      out.textContent = msg.message;
      out.className = msg.ok ? 'ok' : 'error';
      out.dataset['action'] = msg.action;
    }
  }
});

post({ type: 'ready' });

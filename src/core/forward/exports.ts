// Exports of recorded events: a curl command, a REST Client `.http` file and JSON. Credentials are redacted by
// default (see redaction.ts); bodies are exact, with binary bodies carried as base64 where the format has no bytes.
import type { WebhookEvent } from '../events/model';
import { serializeEvent, type SerializedEvent } from '../events/model';
import { isConnectionHeader } from './hopByHop';
import { redactHeaderPairs, redactHeaderRecord, redactPathQuery, type RedactOption } from '../events/redaction';
import { defaultTargetFor, resolveTargetUrl } from './targetUrl';

export interface ExportOptions {
  /** Base URL or full URL (see targetUrl.ts); default: http:// + the event's Host header. */
  targetUrl?: string;
  /** Default true. */
  redactHeaders?: RedactOption;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Text that survives a round trip through UTF-8 and has no control characters other than tab/newline/CR. */
function printableText(body: Buffer): string | undefined {
  const text = body.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(body)) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return undefined;
  return text;
}

function exportUrl(event: WebhookEvent, options: ExportOptions): string {
  const redact = options.redactHeaders ?? true;
  const target = options.targetUrl ?? defaultTargetFor(event.request.headers);
  return resolveTargetUrl(target, redactPathQuery(event.request.path || '/', redact));
}

function exportHeaders(event: WebhookEvent, options: ExportOptions): Array<[string, string]> {
  const kept = event.request.rawHeaders.filter(([name]) => !isConnectionHeader(name));
  return redactHeaderPairs(kept, options.redactHeaders ?? true);
}

function truncationNote(event: WebhookEvent): string | undefined {
  const r = event.request;
  return r.bodyTruncated ? `body was cut: ${r.body.length} of ${r.bodySize} bytes were recorded` : undefined;
}

/** One curl command line. Bodies go in exactly: text inline (--data-binary), anything else via base64 -d. */
export function toCurl(event: WebhookEvent, options: ExportOptions = {}): string {
  const lines: string[] = [];
  const note = truncationNote(event);
  if (note) lines.push(`# ${note}`);
  const parts = [`curl -sS -X ${shellQuote(event.request.method || 'POST')} ${shellQuote(exportUrl(event, options))}`];
  for (const [name, value] of exportHeaders(event, options)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  const body = event.request.body;
  let prefix = '';
  if (body.length > 0) {
    const text = printableText(body);
    // `--data-binary @x` would read a file, so a body starting with @ also goes through stdin.
    if (text !== undefined && !text.startsWith('@')) parts.push(`--data-binary ${shellQuote(text)}`);
    else {
      prefix = `printf '%s' ${shellQuote(body.toString('base64'))} | base64 -d | `;
      parts.push('--data-binary @-');
    }
  }
  lines.push(prefix + parts.join(' \\\n  '));
  return lines.join('\n');
}

/** A REST Client (.http) file, one request per event, separated by `###` lines. */
export function toHttpFile(events: WebhookEvent[], options: ExportOptions = {}): string {
  const blocks = events.map((event) => {
    const lines = [`### ${oneLine(event.summary)}`, `# event ${event.id}, received ${event.receivedAt}, ${event.source} ${event.type}`];
    const note = truncationNote(event);
    if (note) lines.push(`# ${note}`);
    lines.push(`${event.request.method || 'POST'} ${exportUrl(event, options)} HTTP/1.1`);
    for (const [name, value] of exportHeaders(event, options)) lines.push(`${name}: ${value}`);
    const body = event.request.body;
    if (body.length > 0) {
      const text = printableText(body);
      if (text !== undefined) lines.push('', text);
      else {
        lines.push(
          '',
          `# the body is ${body.length} bytes of binary or non-UTF-8 data, which a .http file cannot carry exactly;`,
          `# base64: ${body.toString('base64')}`,
        );
      }
    }
    return lines.join('\n');
  });
  return blocks.join('\n\n') + (blocks.length > 0 ? '\n' : '');
}

/** serializeEvent() for each event, with credentials redacted (headers, raw headers and secret-like query values). */
export function redactSerializedEvent(event: WebhookEvent, redact: RedactOption = true): SerializedEvent {
  const serialized = serializeEvent(event);
  serialized.request = {
    ...serialized.request,
    path: redactPathQuery(serialized.request.path, redact),
    headers: redactHeaderRecord(serialized.request.headers, redact),
    rawHeaders: redactHeaderPairs(serialized.request.rawHeaders, redact),
  };
  return serialized;
}

export function exportEventsJson(events: WebhookEvent[], options: Pick<ExportOptions, 'redactHeaders'> = {}): string {
  return JSON.stringify(events.map((e) => redactSerializedEvent(e, options.redactHeaders ?? true)), null, 2) + '\n';
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

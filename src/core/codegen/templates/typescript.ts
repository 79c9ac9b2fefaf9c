// TypeScript stubs: one verification module per source (shared by the node:http and Express variants), a types
// module (interfaces + zod), the handler for the chosen framework, and a node:test test.
// Templates are String.raw so regexes and escapes read exactly as they will in the generated file.
import { tsLiteral } from '../literals';
import { emitTypeScriptTypes } from '../emitTypes';
import type { GeneratedFile } from '../types';
import { camelName, describe, userFunctionWords, verifyModuleSource, type StubContext } from './context';

const common = String.raw`import { createHash, timingSafeEqual } from 'node:crypto';

export type BodyFormat = 'json' | 'xml' | 'fields' | 'text' | 'empty';

/** One notification handed to your code after the 200 went out. */
export interface ReceivedNotification {
  /** Idempotency key: a retried delivery carries the same one. */
  dedupeKey: string;
  format: BodyFormat;
  /** The decoded body: a JSON value, the XML as an object, the form fields, or the text. */
  data: unknown;
}

export interface IncomingWebhook {
  method: string;
  /** Header names in lower case, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received (the query string for GET). Verify these, never a re-serialized copy. */
  rawBody: Buffer;
}

export interface WebhookOutcome {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** New notifications to hand to your code once the answer is sent. */
  accepted: ReceivedNotification[];
  /** Notifications skipped because their id was seen before (a retry). */
  duplicates: number;
}

function headerValue(req: IncomingWebhook, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time comparison; timingSafeEqual needs equal lengths, so a length mismatch still does the work once. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/**
 * Ids already handled, so a retried delivery is answered 200 but processed once.
 * Kept in memory here. In production keep them where every instance sees them and a restart keeps them:
 * e.g. Redis "SET webhook:<id> 1 NX EX 86400" (fails for a duplicate) or a table with a unique key on the id.
 * Kaltura retries with the same id (3 attempts about 60 s apart by default; legacy notifications 5 attempts
 * 600 s apart), so keeping ids for a day is ample.
 */
export class SeenIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 10_000) {}

  /** Records the id; false when it was already there. */
  claim(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function answer(status: number, body: string, extraHeaders: Record<string, string> = {}): WebhookOutcome {
  return { status, body, headers: { 'content-type': 'text/plain; charset=utf-8', ...extraHeaders }, accepted: [], duplicates: 0 };
}

/** 200 at once; X-Handled-Count says how many notifications go to your code, X-Duplicate-Count how many were retries. */
function accept(accepted: ReceivedNotification[], duplicates: number): WebhookOutcome {
  const counts = { 'x-handled-count': String(accepted.length), 'x-duplicate-count': String(duplicates) };
  return { ...answer(200, 'OK', counts), accepted, duplicates };
}

/** PHP-style urldecode: "+" is a space; a malformed escape is kept as sent. */
function formDecode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Form fields in order, keys exactly as sent (no "[]" or dot mangling). */
export function parseForm(body: string): Array<[string, string]> {
  return body
    .split('&')
    .filter((part) => part !== '')
    .map((part): [string, string] => {
      const eq = part.indexOf('=');
      return eq === -1 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))];
    });
}

function loadSecrets(env: Record<string, string | undefined>): string[] {
  const secrets = [env['KALTURA_ADMIN_SECRET'] ?? '', ...(env['KALTURA_SECRETS'] ?? '').split(',')]
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (secrets.length === 0) {
    throw new Error(
      'No Kaltura secret configured: set KALTURA_ADMIN_SECRET to the partner admin secret ' +
        '(KMC > Settings > Integration Settings), or KALTURA_SECRETS to a comma-separated list of candidates.',
    );
  }
  return secrets;
}
`;

const xmlReader = String.raw`
const xmlEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return xmlEntities[name] ?? whole;
  });
}

/**
 * Reads notification XML into plain objects: text-only elements become strings, repeated names arrays;
 * attributes, comments and DOCTYPEs are ignored (so no entity expansion can be abused).
 */
export function parseXml(xml: string): Record<string, unknown> {
  const tokens = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  interface Frame { name: string; children: Array<[string, unknown]>; text: string }
  const root: Frame = { name: '#root', children: [], text: '' };
  const stack: Frame[] = [root];
  const valueOf = (frame: Frame): unknown => {
    if (frame.children.length === 0) return frame.text.trim() === '' ? '' : frame.text;
    const obj: Record<string, unknown> = {};
    for (const [name, value] of frame.children) {
      const existing = obj[name];
      if (existing === undefined) obj[name] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else obj[name] = [existing, value];
    }
    return obj;
  };
  let consumed = 0;
  for (let match = tokens.exec(xml); match !== null; match = tokens.exec(xml)) {
    if (match.index !== consumed) throw new Error('unexpected "<" at offset ' + consumed);
    consumed = tokens.lastIndex;
    const top = stack[stack.length - 1]!;
    const [, cdata, closeName, openName, , selfClose, text] = match;
    if (cdata !== undefined) top.text += cdata;
    else if (text !== undefined) top.text += decodeXmlEntities(text);
    else if (openName !== undefined) {
      if (selfClose) top.children.push([openName, '']);
      else stack.push({ name: openName, children: [], text: '' });
    } else if (closeName !== undefined) {
      if (top.name !== closeName) throw new Error('</' + closeName + '> does not match <' + top.name + '>');
      stack.pop();
      stack[stack.length - 1]!.children.push([closeName, valueOf(top)]);
    }
  }
  if (consumed !== xml.length || stack.length !== 1 || root.children.length !== 1) throw new Error('malformed XML');
  const value = root.children[0]![1];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
`;

const kalturaSpecific = String.raw`
export interface WebhookConfig {
  /** Candidate secrets: the partner admin secret(s) and any signing secret you configured. */
  secrets: string[];
  /** Accept requests without X-KALTURA-SIGNATURE (templates dispatched without a secret). Off by default. */
  allowUnsigned: boolean;
}

/** Reads the secrets from the environment; throws a message naming the variable to set. */
export function loadConfig(env: Record<string, string | undefined> = process.env): WebhookConfig {
  return { secrets: loadSecrets(env), allowUnsigned: env['KALTURA_ALLOW_UNSIGNED'] === '1' };
}

const hashAlgorithms = ['sha1', 'sha256', 'sha512'];

/**
 * X-KALTURA-SIGNATURE = hex(HASH(secret + raw body)), HASH named by X-KALTURA-HASH-ALGO (sha1 when absent).
 * Returns why the request is not authentic, or undefined when it is.
 */
export function verifyKalturaSignature(req: IncomingWebhook, config: WebhookConfig): string | undefined {
  const signature = headerValue(req, 'x-kaltura-signature');
  if (signature === undefined || signature === '') {
    return config.allowUnsigned ? undefined : 'missing X-KALTURA-SIGNATURE';
  }
  const algorithm = (headerValue(req, 'x-kaltura-hash-algo') ?? 'sha1').trim().toLowerCase();
  if (!hashAlgorithms.includes(algorithm)) return 'unsupported X-KALTURA-HASH-ALGO (expected sha1, sha256 or sha512)';
  const received = signature.trim().toLowerCase();
  let matched = false;
  // Every candidate is tried, so the time taken does not tell which one matched.
  for (const secret of config.secrets) {
    const expected = createHash(algorithm).update(Buffer.concat([Buffer.from(secret, 'utf8'), req.rawBody])).digest('hex');
    if (constantTimeEqual(expected, received)) matched = true;
  }
  return matched ? undefined : 'X-KALTURA-SIGNATURE does not match the body';
}

/** After verification: strips "data=", then decodes JSON, url-encoded JSON, XML, form fields or text. */
export function decodeKalturaBody(text: string, contentType: string): { format: BodyFormat; data: unknown } {
  if (text.trim() === '') return { format: 'empty', data: null };
  if (text.startsWith('data=')) {
    const rest = text.slice(5);
    if (/^%(7B|5B)/i.test(rest)) return { format: 'json', data: JSON.parse(formDecode(rest)) };
    if (/^\s*[[{]/.test(rest)) return { format: 'json', data: JSON.parse(rest) };
    if (/^\s*</.test(rest)) return { format: 'xml', data: parseXml(rest) };
    if (/^%3C/i.test(rest)) return { format: 'xml', data: parseXml(formDecode(rest)) };
    if (!rest.includes('&')) return { format: 'text', data: rest };
  }
  if (/^\s*[[{]/.test(text)) return { format: 'json', data: JSON.parse(text) };
  if (/^\s*</.test(text)) return { format: 'xml', data: parseXml(text) };
  // Form fields win over the Content-Type: a DataFields template with contentType application/json still sends them.
  if (/^[^=&\s{}<>]+=[^&]*(&[^=&]+=[^&]*)*$/.test(text)) return { format: 'fields', data: Object.fromEntries(parseForm(text)) };
  if (/json/i.test(contentType)) return { format: 'json', data: JSON.parse(text) };
  return { format: 'text', data: text };
}

/** eventNotificationJobId is stable across retries; bodies without one fall back to a hash of the bytes. */
function kalturaDedupeKey(data: unknown, rawBody: Buffer): string {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const jobId = (data as Record<string, unknown>)['eventNotificationJobId'];
    if (typeof jobId === 'number' || (typeof jobId === 'string' && jobId !== '')) return 'kaltura-job:' + String(jobId);
  }
  return 'body-sha256:' + sha256Hex(rawBody);
}

/** Verify, decode, deduplicate. Framework-independent: the handler only moves bytes in and out. */
export function processWebhook(received: IncomingWebhook, config: WebhookConfig, seen: SeenIds): WebhookOutcome {
  // A GET carries the body after a "?" that Kaltura appends to the template URL, which may have a query of its own:
  // the signed text is the query or one of its tails after a later "?" (at most 8 are tried).
  let req = received;
  let problem = verifyKalturaSignature(req, config);
  if (problem !== undefined && req.method === 'GET') {
    const text = req.rawBody.toString('latin1');
    for (let at = text.indexOf('?'), tried = 0; at >= 0 && tried < 8; at = text.indexOf('?', at + 1), tried++) {
      const tail = { ...req, rawBody: req.rawBody.subarray(at + 1) };
      if (verifyKalturaSignature(tail, config) === undefined) {
        req = tail;
        problem = undefined;
        break;
      }
    }
  }
  if (problem !== undefined) return answer(401, 'rejected: ' + problem);
  const text = req.rawBody.toString('utf8');
  let decoded: { format: BodyFormat; data: unknown };
  try {
    decoded = decodeKalturaBody(text, headerValue(req, 'content-type') ?? '');
  } catch (err) {
    // Authentic but undecodable: a non-200 would only make Kaltura re-send the same bytes.
    console.error('[webhook] could not decode a verified notification: ' + (err as Error).message);
    decoded = { format: 'text', data: text };
  }
  const dedupeKey = kalturaDedupeKey(decoded.data, req.rawBody);
  if (!seen.claim(dedupeKey)) return accept([], 1);
  return accept([{ dedupeKey, ...decoded }], 0);
}
`;

const legacySpecific = String.raw`
export interface WebhookConfig {
  /** Candidate secrets: the partner admin secret(s). */
  secrets: string[];
}

/** Reads the secrets from the environment; throws a message naming the variable to set. */
export function loadConfig(env: Record<string, string | undefined> = process.env): WebhookConfig {
  return { secrets: loadSecrets(env) };
}

/** PHP truthiness, which is how Kaltura's own notification client reads multi_notification. */
function phpTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0';
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * sig = md5(secret + key1 + value1 + key2 + value2 ...) over the parameters sorted by key, "sig" excluded.
 * For a single notification only the keys listed in signed_fields count (as Kaltura's notification client checks).
 */
export function verifyLegacySig(params: Map<string, string>, config: WebhookConfig): string | undefined {
  const sig = params.get('sig');
  if (sig === undefined || sig === '') return 'missing sig parameter';
  const signedFields = (params.get('signed_fields') ?? '').split(',');
  const multi = phpTruthy(params.get('multi_notification'));
  const keys = [...params.keys()]
    .filter((k) => k !== 'sig')
    .filter((k) => multi || signedFields.length <= 1 || signedFields.includes(k) || k === 'multi_notification' || k === 'number_of_notifications')
    .sort(byteOrder);
  const signedText = keys.map((k) => k + (params.get(k) ?? '')).join('');
  const received = sig.trim().toLowerCase();
  let matched = false;
  for (const secret of config.secrets) {
    const expected = createHash('md5').update(secret + signedText, 'utf8').digest('hex');
    if (constantTimeEqual(expected, received)) matched = true;
  }
  return matched ? undefined : 'sig does not match the parameters';
}

/** One record per notification: the "notN_" groups of a multi-notification (prefix removed), or the single one. */
export function splitMultiNotification(params: Map<string, string>): Array<Record<string, string>> {
  if (!phpTruthy(params.get('multi_notification'))) {
    const fields: Record<string, string> = {};
    for (const [key, value] of params) if (key !== 'sig' && key !== 'signed_fields') fields[key] = value;
    return [fields];
  }
  const groups = new Map<number, Record<string, string>>();
  for (const [key, value] of params) {
    const match = /^not(\d+)_(.*)$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const group = groups.get(index) ?? {};
    group[match[2]!] = value;
    groups.set(index, group);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, fields]) => fields);
}

/** Verify, split, deduplicate on notification_id. Framework-independent. */
export function processWebhook(req: IncomingWebhook, config: WebhookConfig, seen: SeenIds): WebhookOutcome {
  const params = new Map(parseForm(req.rawBody.toString('utf8')));
  const problem = verifyLegacySig(params, config);
  if (problem !== undefined) return answer(401, 'rejected: ' + problem);
  const accepted: ReceivedNotification[] = [];
  let duplicates = 0;
  splitMultiNotification(params).forEach((fields, i) => {
    const id = fields['notification_id'];
    const dedupeKey = id ? 'legacy-notification:' + id : 'body-sha256:' + sha256Hex(req.rawBody) + '#' + (i + 1);
    if (seen.claim(dedupeKey)) accepted.push({ dedupeKey, format: 'fields', data: fields });
    else duplicates++;
  });
  return accept(accepted, duplicates);
}
`;

const enablexSpecific = String.raw`
export interface WebhookConfig {
  /** The "HTTP Authentication" user name and password entered in the EnableX portal. */
  user: string;
  password: string;
}

/** Reads the credentials from the environment; throws a message naming the variables to set. */
export function loadConfig(env: Record<string, string | undefined> = process.env): WebhookConfig {
  const user = env['ENABLEX_WEBHOOK_USER'] ?? '';
  const password = env['ENABLEX_WEBHOOK_PASSWORD'] ?? '';
  if (user === '' || password === '') {
    throw new Error(
      'No EnableX webhook credentials configured: set ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD to the ' +
        'HTTP Authentication user and password set in the EnableX portal (Settings > Manage Configuration > Setup Webhook).',
    );
  }
  return { user, password };
}

/** EnableX video webhooks carry no signature; Basic auth is the only authenticity check, compared in constant time. */
export function verifyBasicAuth(req: IncomingWebhook, config: WebhookConfig): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headerValue(req, 'authorization') ?? '');
  if (!match) return 'missing Basic authorization';
  const credentials = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  if (colon === -1) return 'malformed Basic credentials';
  const userOk = constantTimeEqual(credentials.slice(0, colon), config.user);
  const passwordOk = constantTimeEqual(credentials.slice(colon + 1), config.password);
  return userOk && passwordOk ? undefined : 'wrong user name or password';
}

/** Verify, decode, deduplicate. EnableX payloads have no id, so the key is a hash of the exact body. */
export function processWebhook(req: IncomingWebhook, config: WebhookConfig, seen: SeenIds): WebhookOutcome {
  const problem = verifyBasicAuth(req, config);
  if (problem !== undefined) return answer(401, 'rejected: ' + problem, { 'www-authenticate': 'Basic realm="webhooks"' });
  const text = req.rawBody.toString('utf8');
  let received: { format: BodyFormat; data: unknown };
  try {
    received = { format: 'json', data: JSON.parse(text) };
  } catch (err) {
    console.error('[webhook] could not decode an authenticated EnableX body: ' + (err as Error).message);
    received = { format: 'text', data: text };
  }
  const dedupeKey = 'enablex-body-sha256:' + sha256Hex(req.rawBody);
  if (!seen.claim(dedupeKey)) return accept([], 1);
  return accept([{ dedupeKey, ...received }], 0);
}
`;

export function typescriptVerifyModule(ctx: StubContext): string {
  const intro = `// Generated by Kaltura Webhook Workbench: verification for a ${describe(ctx)}.\n` +
    '// Verifies the raw bytes first, exactly as the workbench receiver does, then decodes; answers 200 at once.\n';
  return verifyModuleSource(ctx, intro, { common, xmlReader, kaltura: kalturaSpecific, legacy: legacySpecific, enablex: enablexSpecific });
}

function userFunction(ctx: StubContext): string {
  return camelName(userFunctionWords[ctx.source]);
}

function handlerCommon(ctx: StubContext): string {
  const root = ctx.model.rootName;
  const fn = userFunction(ctx);
  return String.raw`import { loadConfig, processWebhook, SeenIds, type ReceivedNotification, type WebhookConfig, type WebhookOutcome } from './webhookVerify';
import { ${root}Schema, type ${root} } from './webhookTypes';

export const WEBHOOK_PATH = ${tsLiteral(ctx.path)};
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * YOUR CODE GOES HERE. Called once per new notification, after the 200 has been sent, so slow work here does not
 * make the sender time out and retry. Throwing only logs: the delivery has already been acknowledged.
 */
export async function ${fn}(notification: ${root}, received: ReceivedNotification): Promise<void> {
  // TODO: act on the notification (look up the object, enqueue a job, update your database...).
  void notification;
  void received;
}

/** A payload of another shape than the captured one (another template, body format or event type). */
export async function onUnrecognizedPayload(received: ReceivedNotification, problem: string): Promise<void> {
  console.warn('[webhook] ' + received.dedupeKey + ': not a ${root} (' + problem + ')');
}

/** Checks the decoded payload against the captured shape, then calls your function. */
export async function dispatchNotification(received: ReceivedNotification): Promise<void> {
  const parsed = ${root}Schema.safeParse(received.data);
  if (!parsed.success) {
    await onUnrecognizedPayload(received, parsed.error.message);
    return;
  }
  await ${fn}(parsed.data, received);
}

/** Hands accepted notifications to your code once the answer is on its way. */
function dispatchAfterAnswer(outcome: WebhookOutcome): void {
  for (const received of outcome.accepted) {
    setImmediate(() => {
      dispatchNotification(received).catch((err: unknown) => {
        console.error('[webhook] ' + received.dedupeKey + ' failed in ${fn}: ' + (err instanceof Error ? err.stack : String(err)));
      });
    });
  }
}

/** GET notifications carry the signed text in the query string (Kaltura appends "?" + body). */
function rawQuery(url: string): Buffer {
  const q = url.indexOf('?');
  return Buffer.from(q === -1 ? '' : url.slice(q + 1), 'utf8');
}
`;
}

function nodeHttpHandler(ctx: StubContext): string {
  return String.raw`// Generated by Kaltura Webhook Workbench: a node:http receiver for a ${describe(ctx)}.
// Run: KALTURA_ADMIN_SECRET=... PORT=3000 node webhookHandler.js (see README.md).
import { createServer, type Server } from 'node:http';
${handlerCommon(ctx)}
export function createWebhookServer(config: WebhookConfig = loadConfig(), seen: SeenIds = new SeenIds()): Server {
  return createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.split('?')[0] !== WEBHOOK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('body too large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const method = req.method ?? 'POST';
      const rawBody = method === 'GET' ? rawQuery(url) : Buffer.concat(chunks);
      const outcome = processWebhook({ method, headers: req.headers, rawBody }, config, seen);
      res.writeHead(outcome.status, outcome.headers).end(outcome.body);
      dispatchAfterAnswer(outcome);
    });
  });
}
${mainBlock()}`;
}

function expressHandler(ctx: StubContext): string {
  return String.raw`// Generated by Kaltura Webhook Workbench: an Express receiver for a ${describe(ctx)}.
// Run: KALTURA_ADMIN_SECRET=... PORT=3000 node webhookHandler.js (see README.md).
import { createServer, type Server } from 'node:http';
import express, { type Express } from 'express';
${handlerCommon(ctx)}
export function createWebhookApp(config: WebhookConfig = loadConfig(), seen: SeenIds = new SeenIds()): Express {
  const app = express();
  // express.raw keeps the exact bytes the signature covers: no JSON or urlencoded parser may run before it.
  app.all(WEBHOOK_PATH, express.raw({ type: () => true, limit: MAX_BODY_BYTES }), (req, res) => {
    const rawBody = req.method === 'GET' ? rawQuery(req.originalUrl) : Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = processWebhook({ method: req.method, headers: req.headers, rawBody }, config, seen);
    res.status(outcome.status).set(outcome.headers).send(outcome.body);
    dispatchAfterAnswer(outcome);
  });
  return app;
}

export function createWebhookServer(config: WebhookConfig = loadConfig(), seen: SeenIds = new SeenIds()): Server {
  return createServer(createWebhookApp(config, seen));
}
${mainBlock()}`;
}

function mainBlock(): string {
  return String.raw`
// Started directly (node webhookHandler.js): listen on HOST:PORT. Imported: nothing runs.
if (process.argv[1] !== undefined && /webhookHandler\.[cm]?[jt]s$/.test(process.argv[1])) {
  let server: Server;
  try {
    server = createWebhookServer();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const host = process.env['HOST'] ?? '0.0.0.0';
  server.listen(Number(process.env['PORT'] ?? 3000), host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    console.log('listening on http://' + host + ':' + port + WEBHOOK_PATH);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
`;
}

function typesModule(ctx: StubContext): string {
  return `// Generated by Kaltura Webhook Workbench: payload types inferred from the ${describe(ctx)}.\n` +
    '// Fields present in the sample are required; loosen them (".optional()") as you meet other payloads.\n' +
    "import { z } from 'zod';\n\n" + emitTypeScriptTypes(ctx.model, { keepExampleValues: ctx.keepExampleValues });
}

function testModule(ctx: StubContext): string {
  const root = ctx.model.rootName;
  const tamper = ctx.source === 'enablex'
    ? String.raw`
test('rejects wrong Basic credentials', async () => {
  await withServer(async (url) => {
    const headers = { ...fixture.request.headers, authorization: 'Basic ' + Buffer.from('intruder:wrong').toString('base64') };
    const res = await send(url, headers, body);
    assert.equal(res.status, 401);
  });
});
`
    : String.raw`
test('rejects a tampered body', async () => {
  await withServer(async (url) => {
    const tampered = Buffer.concat([body, Buffer.from(ctxTamperSuffix, 'utf8')]);
    const res = await send(url, authHeaders(), tampered);
    assert.equal(res.status, 401);
  });
});
`.replace('ctxTamperSuffix', ctx.source === 'kaltura-legacy' ? "'&notification_type=tampered'" : "' '");
  return String.raw`// Generated by Kaltura Webhook Workbench: runs the stub for real against the captured request.
// Run: npx tsc && node --test webhookHandler.test.js   (or: npx tsx --test webhookHandler.test.ts)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createWebhookServer, WEBHOOK_PATH } from './webhookHandler';
import { loadConfig, processWebhook, SeenIds } from './webhookVerify';
import { ${root}Schema } from './webhookTypes';

interface Fixture {
  testEnv: Record<string, string>;
  request: { method: string; path: string; headers: Record<string, string>; body: string };
  expect: { status: number; notifications: number };
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'captured-request.json'), 'utf8')) as Fixture;
const body = Buffer.from(fixture.request.body, 'utf8');

function authHeaders(): Record<string, string> {
  const headers = { ...fixture.request.headers };
  const user = fixture.testEnv['ENABLEX_WEBHOOK_USER'];
  const password = fixture.testEnv['ENABLEX_WEBHOOK_PASSWORD'];
  if (user !== undefined && password !== undefined) {
    headers['authorization'] = 'Basic ' + Buffer.from(user + ':' + password).toString('base64');
  }
  return headers;
}

async function withServer(run: (url: string) => Promise<void>): Promise<void> {
  const server = createWebhookServer(loadConfig(fixture.testEnv), new SeenIds());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await run('http://127.0.0.1:' + port + WEBHOOK_PATH);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function send(url: string, headers: Record<string, string>, payload: Buffer): Promise<Response> {
  const get = fixture.request.method === 'GET';
  // A Uint8Array over its own ArrayBuffer: @types/node 22+ no longer takes a Buffer (ArrayBufferLike) as BodyInit.
  return fetch(get ? url + '?' + payload.toString('utf8') : url, { method: fixture.request.method, headers, body: get ? undefined : new Uint8Array(payload) });
}

test('accepts the captured request with 200 and hands each notification over once', async () => {
  await withServer(async (url) => {
    const first = await send(url, authHeaders(), body);
    assert.equal(first.status, fixture.expect.status);
    assert.notEqual(await first.text(), '');
    assert.equal(first.headers.get('x-handled-count'), String(fixture.expect.notifications));

    const retry = await send(url, authHeaders(), body);
    assert.equal(retry.status, 200);
    await retry.text();
    assert.equal(retry.headers.get('x-handled-count'), '0');
    assert.equal(retry.headers.get('x-duplicate-count'), String(fixture.expect.notifications));
  });
});
${tamper}
test('the captured payload matches the generated ${root} schema', () => {
  const outcome = processWebhook(
    { method: fixture.request.method, headers: authHeaders(), rawBody: body },
    loadConfig(fixture.testEnv),
    new SeenIds(),
  );
  assert.equal(outcome.accepted.length, fixture.expect.notifications);
  for (const received of outcome.accepted) {
    const parsed = ${root}Schema.safeParse(received.data);
    assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
  }
});
`;
}

/**
 * The folder is a project of its own: `npm install && npm test` builds and tests it, `npm start` runs it. Dependencies
 * are the current majors (TypeScript 7, @types/node 26, zod 4, Express 5); the e2e of codegen installs them for real.
 */
function packageJson(ctx: StubContext): string {
  const express = ctx.framework === 'express';
  const manifest = {
    name: 'kaltura-webhook-handler',
    version: '0.1.0',
    private: true,
    description: 'Webhook handler generated by Kaltura Webhook Workbench',
    type: 'commonjs',
    engines: { node: '>=22' },
    scripts: {
      build: 'tsc -p .',
      test: 'tsc -p . && node --test webhookHandler.test.js',
      start: 'tsc -p . && node webhookHandler.js',
    },
    dependencies: { zod: '^4.1.0', ...(express ? { express: '^5.1.0' } : {}) },
    devDependencies: { '@types/node': '^26.0.0', typescript: '^7.0.2', ...(express ? { '@types/express': '^5.0.0' } : {}) },
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

// TypeScript 7 includes no @types by default: `types` names Node's. Output next to the sources, as the README says.
const TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      strict: true,
      target: 'es2022',
      lib: ['es2022'],
      module: 'node16',
      moduleResolution: 'node16',
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
    },
    include: ['*.ts'],
  },
  null,
  2,
) + '\n';

export function typescriptFiles(ctx: StubContext): GeneratedFile[] {
  return [
    { path: 'webhookHandler.ts', role: 'handler', contents: ctx.framework === 'express' ? expressHandler(ctx) : nodeHttpHandler(ctx) },
    { path: 'webhookVerify.ts', role: 'handler', contents: typescriptVerifyModule(ctx) },
    { path: 'webhookTypes.ts', role: 'handler', contents: typesModule(ctx) },
    { path: 'webhookHandler.test.ts', role: 'test', contents: testModule(ctx) },
    { path: 'fixtures/captured-request.json', role: 'fixture', contents: ctx.fixtureJson },
    { path: 'package.json', role: 'project', contents: packageJson(ctx) },
    { path: 'tsconfig.json', role: 'project', contents: TSCONFIG },
  ];
}

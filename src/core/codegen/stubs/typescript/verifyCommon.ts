// stub:drop The helpers every source's webhookVerify.ts starts with (stubFill includes this file there).
import { createHash, timingSafeEqual } from 'node:crypto';

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

export function headerValue(req: IncomingWebhook, name: string): string | undefined {
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

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function answer(status: number, body: string, extraHeaders: Record<string, string> = {}): WebhookOutcome {
  return { status, body, headers: { 'content-type': 'text/plain; charset=utf-8', ...extraHeaders }, accepted: [], duplicates: 0 };
}

/** 200 at once; X-Handled-Count says how many notifications go to your code, X-Duplicate-Count how many were retries. */
export function accept(accepted: ReceivedNotification[], duplicates: number): WebhookOutcome {
  const counts = { 'x-handled-count': String(accepted.length), 'x-duplicate-count': String(duplicates) };
  return { ...answer(200, 'OK', counts), accepted, duplicates };
}

/** PHP-style urldecode: "+" is a space; a malformed escape is kept as sent. */
export function formDecode(value: string): string {
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

export function loadSecrets(env: Record<string, string | undefined>): string[] {
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

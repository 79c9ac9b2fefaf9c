// The sandbox's own JSON endpoint under /__sandbox/ (not part of Kaltura's API): entries CRUD that fires events,
// fault modes, the delivery log, partners. Used by `kwh sandbox entry …`, the extension and tests.
import { z } from 'zod';
import { parseEntryStatus } from './entries';
import type { DeliveryAttempt, EntryInput, FaultConfig, FaultState, PartnerInput, SandboxEntry, SandboxPartner } from './types';

export const ADMIN_PREFIX = '/__sandbox/';

export interface AdminDeps {
  info(): Record<string, unknown>;
  listEntries(): SandboxEntry[];
  getEntry(id: string): SandboxEntry | undefined;
  addEntry(input: EntryInput): SandboxEntry;
  updateEntry(id: string, changes: EntryInput): SandboxEntry;
  deleteEntry(id: string): SandboxEntry;
  deliveries(): DeliveryAttempt[];
  clearDeliveries(): void;
  faults(): FaultState;
  setFaults(faults: FaultConfig): FaultState;
  addPartner(input: PartnerInput): SandboxPartner;
  idle(): Promise<void>;
}

export interface AdminResponse {
  status: number;
  body: unknown;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The admin routes change the sandbox (partners, entries, faults), so only a local client may call them: any web
 * page can make the browser POST text/plain to a loopback port without a preflight, and a rebinding DNS name can
 * make such a page same-site. So the Host must name this server, a browser's Origin must be this server's own, and
 * a request that changes something must be JSON (which a cross-origin page cannot send without a preflight that
 * is never answered). Returns the refusal, or undefined when the request may go on.
 */
export function adminRequestRefusal(method: string, headers: Record<string, string | string[] | undefined>, port: number): AdminResponse | undefined {
  const host = String(headers['host'] ?? '').toLowerCase();
  const hostName = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  const hostPort = host.slice(hostName.length + 1);
  if (!LOOPBACK_NAMES.has(hostName) || (hostPort !== '' && hostPort !== String(port))) {
    return bad(`admin routes answer only requests addressed to this sandbox on loopback (Host ${JSON.stringify(host)} refused)`, 403);
  }
  const origin = headers['origin'];
  if (origin !== undefined && origin !== `http://${host}`) {
    return bad(`admin routes refuse cross-origin requests (Origin ${JSON.stringify(String(origin))})`, 403);
  }
  if (method !== 'GET' && method !== 'HEAD' && method !== 'DELETE') {
    const type = String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return bad(`admin routes take JSON: send Content-Type: application/json (got ${JSON.stringify(type || 'none')})`, 415);
  }
  return undefined;
}

const statusValue = z.union([z.number().int(), z.string()]).transform((v, ctx) => {
  try {
    return parseEntryStatus(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    return z.NEVER;
  }
});

const entryBody = z.strictObject({
  id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  status: statusValue.optional(),
  tags: z.string().optional(),
  mediaType: z.coerce.number().int().optional(),
  duration: z.coerce.number().int().min(0).optional(),
  userId: z.string().optional(),
  referenceId: z.string().optional(),
  categories: z.string().optional(),
  partnerId: z.coerce.number().int().positive().optional(),
});

const faultBody = z.strictObject({
  mode: z.enum(['none', 'http-500', 'hang', 'malformed-json', 'expire-ks']),
  count: z.number().int().positive().optional(),
});

const partnerBody = z.strictObject({
  partnerId: z.number().int().positive().optional(),
  adminSecret: z.string().min(1).optional(),
  secret: z.string().min(1).optional(),
  features: z.array(z.string()).optional(),
});

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

function bad(message: string, status = 400): AdminResponse {
  return { status, body: { error: message } };
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; response: AdminResponse } {
  const text = body.toString('utf8').trim();
  if (text === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, response: bad(`the body is not valid JSON (${err instanceof Error ? err.message : String(err)}); send a JSON object`) };
  }
}

function guard(fn: () => AdminResponse): AdminResponse {
  try {
    return fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return bad(message, /not found/.test(message) ? 404 : 400);
  }
}

export async function handleAdminRequest(method: string, path: string, body: Buffer, deps: AdminDeps): Promise<AdminResponse> {
  const route = path.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
  const segments = route.split('/').map((s) => decodeURIComponent(s));
  const parsed = parseJson(body);
  if (!parsed.ok) return parsed.response;
  const input = parsed.value;

  if (route === 'info' && method === 'GET') return { status: 200, body: deps.info() };
  if (segments[0] === 'entries') {
    const id = segments[1];
    if (!id && method === 'GET') return { status: 200, body: deps.listEntries() };
    if (!id && method === 'POST') {
      const r = entryBody.safeParse(input);
      if (!r.success) return bad(`invalid entry: ${issues(r.error)}`);
      return guard(() => ({ status: 201, body: deps.addEntry(r.data) }));
    }
    if (id && method === 'GET') {
      const entry = deps.getEntry(id);
      return entry ? { status: 200, body: entry } : bad(`entry ${id} not found`, 404);
    }
    if (id && (method === 'PUT' || method === 'PATCH' || method === 'POST')) {
      const r = entryBody.omit({ id: true, partnerId: true }).safeParse(input);
      if (!r.success) return bad(`invalid entry changes: ${issues(r.error)}`);
      return guard(() => ({ status: 200, body: deps.updateEntry(id, r.data) }));
    }
    if (id && method === 'DELETE') return guard(() => ({ status: 200, body: deps.deleteEntry(id) }));
  }
  if (route === 'faults') {
    if (method === 'GET') return { status: 200, body: deps.faults() };
    if (method === 'POST' || method === 'PUT') {
      const r = faultBody.safeParse(input);
      if (!r.success) return bad(`invalid faults: ${issues(r.error)}; e.g. {"mode":"http-500","count":2}`);
      return { status: 200, body: deps.setFaults(r.data) };
    }
  }
  if (route === 'deliveries') {
    if (method === 'GET') return { status: 200, body: deps.deliveries() };
    if (method === 'DELETE') {
      deps.clearDeliveries();
      return { status: 200, body: [] };
    }
  }
  if (route === 'idle' && method === 'POST') {
    await deps.idle();
    return { status: 200, body: { idle: true } };
  }
  if (route === 'partners' && method === 'POST') {
    const r = partnerBody.safeParse(input);
    if (!r.success) return bad(`invalid partner: ${issues(r.error)}`);
    const partner = deps.addPartner(r.data);
    // Secrets the caller chose stay with the caller; generated ones are returned once so the partner is usable.
    return { status: 201, body: { ...partner, ...(r.data.adminSecret && { adminSecret: undefined }), ...(r.data.secret && { secret: undefined }) } };
  }
  return bad(`no admin route ${method} ${path}; routes: GET info, GET|POST entries, GET|PUT|DELETE entries/ID, GET|POST faults, GET|DELETE deliveries, POST idle, POST partners`, 404);
}

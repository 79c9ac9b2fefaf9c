// The Kaltura sandbox: a local Kaltura-compatible API server (sessions, event notification templates, entries that
// fire templates) that sends signed HTTP notifications exactly like Kaltura's dispatch engine.
// `startSandbox()` is the only entry point; see types.ts for the handle it returns.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ADMIN_PREFIX, adminRequestRefusal, handleAdminRequest } from './adminRoutes';
import { errors } from './apiErrors';
import { handleApiRequest, type ApiDeps } from './apiServices';
import { CategoryStore, categoryEntryToApiObject, type CategoryInput, type SandboxCategory, type SandboxCategoryEntry } from './categories';
import { EntryStore } from './entries';
import { EventDispatcher } from './eventDispatcher';
import { FaultSwitch } from './faults';
import { NotificationSender } from './notificationSender';
import { loadState, saveState, type PersistedState } from './persistence';
import { EVENT_OBJECT_TYPE } from '../protocol/names';
import { phpJsonEncode } from '../protocol/phpEncoding';
import { ParamsError, parseRequestParams } from './requestParams';
import { SessionRegistry } from './sessions';
import { TemplateTable, type TemplateRecord } from './templateTable';
import { ENTRY_STATUS, type DeliveryAttempt, type EntryInput, type Sandbox, type SandboxEntry, type SandboxOptions, type SandboxPartner } from './types';

export type * from './types';
export { ENTRY_STATUS } from './types';
export { buildNotificationBody, notificationEnvelope } from './notificationBody';
export { buildHttpRequest, KCURL_USER_AGENT } from './notificationSender';
export { phpJsonEncode, phpSerialize } from '../protocol/phpEncoding';

const MAX_API_BODY = 10 * 1024 * 1024;
const MAX_DELIVERIES = 10000;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, php = false, extraHeaders: Array<[string, string]> = []): void {
  const text = php ? phpJsonEncode(body) : JSON.stringify(body);
  res.writeHead(status, [['Content-Type', 'application/json; charset=utf-8'], ['X-Me', 'kwh-sandbox'], ...extraHeaders].flat());
  res.end(text);
}

/** `/api_v3/service/{service}/action/{action}`, `/api_v3/service/multirequest`, or `/api_v3/?service=…&action=…`. */
function apiRoute(path: string, query: URLSearchParams): { service: string; action: string } | undefined {
  const m = /^\/api_v3\/service\/([^/]+)(?:\/action\/([^/]+))?\/?$/.exec(path);
  if (m) return { service: decodeURIComponent(m[1]!), action: decodeURIComponent(m[2] ?? query.get('action') ?? '') };
  if (/^\/api_v3(\/(index\.php)?)?$/.test(path)) {
    const service = query.get('service');
    if (service) return { service, action: query.get('action') ?? '' };
  }
  return undefined;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const retryIntervalMs = options.retryIntervalMs ?? 2000;
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
  if (!(retryIntervalMs >= 0)) throw new RangeError(`retryIntervalMs must be ≥ 0, got ${retryIntervalMs}`);

  const persisted = options.dataDir ? await loadState(options.dataDir) : undefined;
  const sessions = new SessionRegistry();
  for (const p of persisted?.partners ?? []) sessions.addPartner(p);
  const requestedPartner = options.partnerId ?? persisted?.partners[0]?.partnerId;
  const existing = requestedPartner === undefined ? undefined : sessions.partner(requestedPartner);
  const main: SandboxPartner =
    existing && (options.adminSecret === undefined || options.adminSecret === existing.adminSecret)
      ? existing
      : sessions.addPartner({
          ...(requestedPartner !== undefined && { partnerId: requestedPartner }),
          ...(options.adminSecret !== undefined && { adminSecret: options.adminSecret }),
          ...(existing && { secret: existing.secret, features: existing.features }),
        });

  const templates = new TemplateTable(!persisted);
  if (persisted) templates.load(persisted.templates as TemplateRecord[]);
  const entries = new EntryStore(main.partnerId);
  if (persisted) entries.load(persisted.entries as unknown as SandboxEntry[]);
  for (const token of persisted?.appTokens ?? []) sessions.appTokens.set(token.id, token as never);
  const categories = new CategoryStore();
  if (persisted) {
    categories.load({
      categories: persisted.categories as unknown as SandboxCategory[] | undefined,
      categoryEntries: persisted.categoryEntries as unknown as SandboxCategoryEntry[] | undefined,
    });
  }

  const log: DeliveryAttempt[] = [];
  const listeners = new Set<(a: DeliveryAttempt) => void>();
  const sender = new NotificationSender({
    retryIntervalMs,
    maxAttempts,
    record(attempt) {
      log.push(attempt);
      if (log.length > MAX_DELIVERIES) log.splice(0, log.length - MAX_DELIVERIES);
      for (const l of listeners) {
        try {
          l(attempt);
        } catch {
          // a listener's failure must not stop deliveries
        }
      }
    },
  });
  const warnings: string[] = [];
  const dispatcher = new EventDispatcher({
    templates,
    sender,
    secretFor: (partnerId) => sessions.partner(partnerId)?.adminSecret ?? null,
    warn: (message) => {
      warnings.push(message);
      if (warnings.length > 100) warnings.shift();
    },
  });
  if (persisted) dispatcher.setNextJobId(persisted.nextJobId);
  const faults = new FaultSwitch(() => sessions.revokeAll());

  // Persistence: coalesce writes; the last one wins.
  let saving: Promise<void> = Promise.resolve();
  let saveQueued = false;
  const snapshot = (): PersistedState => ({
    version: 1,
    partners: [...sessions.partners.values()],
    templates: [...templates.templates.values()].map((t) => ({ ...t, props: t.props as Record<string, unknown> })),
    entries: entries.list() as unknown as PersistedState['entries'],
    appTokens: [...sessions.appTokens.values()] as unknown as PersistedState['appTokens'],
    categories: [...categories.categories.values()] as unknown as PersistedState['categories'],
    categoryEntries: [...categories.links.values()] as unknown as PersistedState['categoryEntries'],
    nextJobId: dispatcher.lastJobId + 1,
  });
  const changed = (): void => {
    if (!options.dataDir || saveQueued) return;
    saveQueued = true;
    saving = saving.then(async () => {
      saveQueued = false;
      await saveState(options.dataDir!, snapshot()).catch((err) => warnings.push(`could not save sandbox state: ${err instanceof Error ? err.message : String(err)}`));
    });
  };

  const partnerOf = (input: EntryInput): number => input.partnerId ?? main.partnerId;
  const addEntry = (input: EntryInput): SandboxEntry => {
    if (!sessions.partner(partnerOf(input))) throw new Error(`partner ${partnerOf(input)} does not exist in the sandbox`);
    const change = entries.add(input);
    dispatcher.entryAdded(change);
    changed();
    return { ...change.entry };
  };
  const updateEntry = (id: string, changes: EntryInput): SandboxEntry => {
    const change = entries.update(id, changes);
    dispatcher.entryUpdated(change);
    changed();
    return { ...change.entry };
  };
  const deleteEntry = (id: string): SandboxEntry => {
    const change = entries.delete(id);
    dispatcher.entryDeleted(change);
    changed();
    return { ...change.entry };
  };

  // media.addFromUrl: IMPORT, then (video) PRECONVERT, then READY, one step at a time; each step is a status change.
  const importTimers = new Set<NodeJS.Timeout>();
  const importStepMs = options.importStepMs ?? 1500;
  const importEntry = (input: EntryInput, _url: string): SandboxEntry => {
    const created = addEntry(input);
    const steps = created.mediaType === 2 ? [ENTRY_STATUS.READY] : [ENTRY_STATUS.PRECONVERT, ENTRY_STATUS.READY];
    const next = (): void => {
      const status = steps.shift();
      if (status === undefined) return;
      const timer = setTimeout(() => {
        importTimers.delete(timer);
        const current = entries.get(created.id);
        if (!current || current.status === ENTRY_STATUS.DELETED) return;
        updateEntry(created.id, { status });
        next();
      }, importStepMs);
      importTimers.add(timer);
    };
    next();
    return created;
  };

  // Categories: an assignment fires its own events on the categoryEntry and changes the entry's `categories` column,
  // which is an entry change (categoryEntry::postInsert/postUpdate save the entry).
  const syncEntryCategories = (partnerId: number, entryId: string): void => {
    const entry = entries.get(entryId);
    if (!entry || entry.status === ENTRY_STATUS.DELETED) return;
    updateEntry(entryId, { categories: categories.entryCategories(partnerId, entryId) });
  };
  const addCategory = (partnerId: number, input: CategoryInput): SandboxCategory => {
    const change = categories.add(partnerId, input);
    dispatcher.objectAdded(partnerId, EVENT_OBJECT_TYPE.CATEGORY, categories.toApiObject(change.object), change.modifiedColumns);
    changed();
    return change.object;
  };
  const unassignEntry = (partnerId: number, entryId: string, categoryId: number): SandboxCategoryEntry => {
    const change = categories.unassign(partnerId, entryId, categoryId);
    dispatcher.objectDeleted(partnerId, EVENT_OBJECT_TYPE.CATEGORYENTRY, categoryEntryToApiObject(change.object), change.modifiedColumns);
    syncEntryCategories(partnerId, entryId);
    changed();
    return change.object;
  };
  const deleteCategory = (partnerId: number, id: number): void => {
    const { category, assigned } = categories.delete(partnerId, id);
    // Kaltura removes the assignments in a batch job after the category is gone; each removal is a categoryEntry event.
    dispatcher.objectDeleted(partnerId, EVENT_OBJECT_TYPE.CATEGORY, categories.toApiObject(category.object), category.modifiedColumns);
    for (const link of assigned) unassignEntry(partnerId, link.entryId, link.categoryId);
    changed();
  };
  const assignEntry = (partnerId: number, entryId: string, categoryId: number, userId?: string): SandboxCategoryEntry => {
    const entry = entries.get(entryId);
    const exists = entry !== undefined && entry.partnerId === partnerId && entry.status !== ENTRY_STATUS.DELETED;
    const change = categories.assign(partnerId, entryId, categoryId, exists, userId);
    dispatcher.objectAdded(partnerId, EVENT_OBJECT_TYPE.CATEGORYENTRY, categoryEntryToApiObject(change.object), change.modifiedColumns);
    syncEntryCategories(partnerId, entryId);
    changed();
    return change.object;
  };

  const deps: ApiDeps = {
    sessions,
    templates,
    entries,
    categories,
    dispatcher,
    addEntry,
    updateEntry,
    deleteEntry,
    importEntry,
    addCategory,
    deleteCategory,
    assignEntry,
    unassignEntry,
    changed,
  };

  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let url = '';

  const server = createServer((req, res) => {
    void (async () => {
      const parsedUrl = new URL(req.url ?? '/', 'http://sandbox');
      const path = parsedUrl.pathname;
      if (path.startsWith(ADMIN_PREFIX)) {
        const refusal = adminRequestRefusal(req.method ?? 'GET', req.headers, (server.address() as AddressInfo).port);
        if (refusal) {
          req.resume();
          return sendJson(res, refusal.status, refusal.body);
        }
        const body = await readBody(req, MAX_API_BODY);
        if (!body) return sendJson(res, 413, { error: 'body too large' });
        const r = await handleAdminRequest(req.method ?? 'GET', path, body, {
          info: () => ({ url, partnerId: main.partnerId, retryIntervalMs, maxAttempts, templates: templates.templates.size, entries: entries.entries.size, warnings }),
          listEntries: () => entries.list(),
          getEntry: (id) => entries.get(id),
          addEntry,
          updateEntry,
          deleteEntry,
          deliveries: () => [...log],
          clearDeliveries: () => void log.splice(0),
          faults: () => faults.state(),
          setFaults: (f) => faults.set(f),
          addPartner: (p) => {
            const partner = sessions.addPartner(p);
            changed();
            return partner;
          },
          idle: () => sender.idle(),
        });
        return sendJson(res, r.status, r.body);
      }
      const route = apiRoute(path, parsedUrl.searchParams);
      if (!route) return sendJson(res, 404, { error: `no such path ${path}; the API lives under /api_v3/service/{service}/action/{action}` });
      const body = await readBody(req, MAX_API_BODY);
      if (!body) return sendJson(res, 413, { error: `request body larger than ${MAX_API_BODY} bytes` });
      const fault = faults.take();
      if (fault === 'http-500') {
        res.writeHead(500, { 'Content-Type': 'text/html' });
        return res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
      }
      if (fault === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (fault === 'malformed-json') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        return res.end('{"objectType":"KalturaAPIException","code":');
      }
      let params;
      try {
        params = parseRequestParams(req.headers['content-type'], body, parsedUrl.searchParams);
      } catch (err) {
        const message = err instanceof ParamsError ? err.message : String(err);
        return sendJson(res, 200, errors.invalidParameter('request', message).toBody(), true);
      }
      const notices: Array<[string, string]> = [];
      const result = handleApiRequest(route.service, route.action, params, deps, notices);
      sendJson(res, 200, result, true, notices);
    })().catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: `sandbox error: ${err instanceof Error ? err.message : String(err)}` });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  changed();

  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    partnerId: main.partnerId,
    adminSecret: main.adminSecret,
    adminConsoleSecret: sessions.adminConsole.adminSecret,
    close() {
      closing ??= (async () => {
        for (const timer of importTimers) clearTimeout(timer);
        importTimers.clear();
        await sender.close();
        for (const res of hanging) res.destroy();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
        });
        if (options.dataDir) {
          await saving;
          await saveState(options.dataDir, snapshot());
        }
      })();
      return closing;
    },
    deliveries: () => [...log],
    onDelivery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: () => sender.idle(),
    addEntry,
    updateEntry,
    deleteEntry,
    getEntry: (id) => {
      const e = entries.get(id);
      return e && { ...e };
    },
    listEntries: () => entries.list().map((e) => ({ ...e })),
    setFaults: (f) => faults.set(f),
    faults: () => faults.state(),
    addPartner(input) {
      const partner = sessions.addPartner(input);
      changed();
      return partner;
    },
  };
}

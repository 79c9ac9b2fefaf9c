// Kaltura API faults (issue #7, hardening 5), the parts test/integration/kaltura does not already cover: a hang that
// outlasts every retry, malformed JSON named clearly, an expired KS under concurrent calls (one renewal, no herd),
// and a fault in the middle of webhook registration (nothing left behind untracked; the receiver's events survive;
// registration works once the fault clears). Real sandbox, real client, real HTTP on 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../../src/sandbox';
import { createKalturaConnection, type KalturaConnection } from '../../../src/core/kaltura/connection';
import { KalturaTransportError } from '../../../src/core/kaltura/errors';
import { triggerTemplate } from '../../../src/core/kaltura/trigger';
import { registerWebhook, TemplateRegistry, WORKBENCH_SYSTEM_NAME_PREFIX } from '../../../src/core/kaltura/registration';
import type { SessionConfig } from '../../../src/core/kaltura/session';
import { createEventStore } from '../../../src/core/events/eventStore';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import type { ReceiverApi } from '../../../src/core/receiver/types';
import { waitUntil } from './hardeningSupport';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let dir: string;
let receiver: ReceiverApi;
const store = createEventStore({ flushIntervalMs: 5 });

before(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', retryIntervalMs: 50, importStepMs: 50 });
  dir = mkdtempSync(join(tmpdir(), 'kwh-hardening-faults-'));
  receiver = await startReceiver({ store, credentials: () => ({ kalturaSecrets: [{ label: 'sandbox', secret: sandbox.adminSecret }], basicAuth: [] }) });
});
after(async () => {
  sandbox?.setFaults({ mode: 'none' });
  await receiver?.close();
  await store.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function connect(session: Partial<SessionConfig> = {}, timeoutMs = 5000): KalturaConnection {
  return createKalturaConnection({
    serviceUrl: sandbox.url,
    retries: 2,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    timeoutMs,
    session: { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret, ...session } as SessionConfig,
  });
}

test('a hang that outlasts every retry ends in a typed timeout naming the cause, in bounded time; the connection works after', async () => {
  const c = connect({}, 250);
  await c.templates.list();
  sandbox.setFaults({ mode: 'hang' });
  const started = Date.now();
  let err: unknown;
  try {
    err = await c.templates.list().then(() => undefined, (e: unknown) => e);
  } finally {
    sandbox.setFaults({ mode: 'none' });
  }
  const took = Date.now() - started;
  assert.ok(err instanceof KalturaTransportError, `a KalturaTransportError, got ${String(err)}`);
  assert.equal(err.kind, 'timeout');
  assert.equal(err.attempts, 3, 'the first try and two retries');
  assert.ok(err.retryable);
  assert.match(err.message, /timed out|did not answer/i);
  assert.ok(took < 5000, `gave up in bounded time (${took} ms for 3 × 250 ms)`);
  const page = await c.templates.list();
  assert.equal(typeof page.totalCount, 'number', 'the same connection recovers when the fault clears');
});

test('malformed JSON is reported as such (typed, not retried, message names the cause) and the next call succeeds', async () => {
  const c = connect();
  sandbox.setFaults({ mode: 'malformed-json', count: 1 });
  const err = await c.templates.list().then(() => undefined, (e: unknown) => e);
  sandbox.setFaults({ mode: 'none' });
  assert.ok(err instanceof KalturaTransportError, String(err));
  assert.equal(err.kind, 'malformed');
  assert.match(err.message, /JSON/);
  assert.ok(err.message.length < 2000, 'the message quotes the bad answer briefly, not whole');
  assert.equal(typeof (await c.templates.list()).totalCount, 'number');
});

test('expired KS mid-session under 6 concurrent calls: all succeed after a single renewal', async () => {
  const c = connect({ kind: 'sessionStart', partnerId: sandbox.partnerId, secret: sandbox.adminSecret } as Partial<SessionConfig>);
  await c.templates.list();
  const createdBefore = c.session.created;
  sandbox.setFaults({ mode: 'expire-ks' });
  const results = await Promise.allSettled(Array.from({ length: 6 }, () => c.templates.list()));
  const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
  assert.deepEqual(failures, [], 'every call survives the expired KS');
  assert.equal(c.session.created - createdBefore, 1, `one new session for all six calls (got ${c.session.created - createdBefore})`);
});

test('a 5xx outage in the middle of registration leaves no untracked template; receiver events survive; registration works after', async () => {
  const c = connect();
  // An event already in the receiver's store before the outage.
  const before = await fetch(`${receiver.url}/kaltura/before-outage`, { method: 'POST', body: '{"probe":1}', headers: { 'content-type': 'application/json' } });
  assert.equal(before.status, 200);
  const beforeId = before.headers.get('x-kwh-event-id')!;

  // The outage starts right after the clone succeeded: activation (and the clean-up delete) meet 500s.
  const faultyTemplates = new Proxy(c.templates, {
    get(target, prop, receiverObj) {
      const value = Reflect.get(target, prop, receiverObj) as unknown;
      if ((prop === 'activate' || prop === 'updateStatus') && typeof value === 'function') {
        return (...args: unknown[]) => {
          sandbox.setFaults({ mode: 'http-500' });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const registry = new TemplateRegistry({ directory: dir, templates: faultyTemplates, sessionId: 'hardening-session' });
  let err: unknown;
  try {
    err = await registerWebhook({ registry, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: receiver.url, workspaceToken: 'hardening-token' }).then(
      () => undefined,
      (e: unknown) => e,
    );
  } finally {
    sandbox.setFaults({ mode: 'none' });
  }
  assert.ok(err instanceof KalturaTransportError && err.status === 500, `registration reports the 500 as a typed error: ${String(err)}`);

  // Whatever the server holds now must be either gone or known to the registry (so cleanup/findOrphans reach it).
  const onServer = (await c.templates.listAll()).filter((t) => t.systemName?.startsWith(WORKBENCH_SYSTEM_NAME_PREFIX));
  const tracked = new Set((await registry.list()).map((r) => r.systemName));
  const untracked = onServer.filter((t) => !tracked.has(t.systemName!));
  assert.deepEqual(
    untracked.map((t) => `${t.id} ${t.systemName} status ${t.status}`),
    [],
    'a template cloned before the outage is deleted, or stays in the registry until it can be (registerWebhook forgets ' +
      'the record even when its clean-up delete failed)',
  );
  for (const t of onServer) await c.templates.delete(t.id).catch(() => undefined);

  assert.ok(store.get(beforeId), 'the receiver still holds the event from before the outage');
  const cleanRegistry = new TemplateRegistry({ directory: dir, templates: c.templates, sessionId: 'hardening-session-2' });
  const registered = await registerWebhook({ registry: cleanRegistry, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: receiver.url, workspaceToken: 'hardening-token' });
  await triggerTemplate({ templates: c.templates, media: c.media, categories: c.categories, template: registered.template });
  const path = `/kaltura/${registered.record.systemName}`;
  await waitUntil(() => store.all().some((e) => e.request.path === path), 'the triggered notification at the receiver', 5000);
  const event = store.all().find((e) => e.request.path === path)!;
  assert.equal(event.verification.status, 'verified');
  await cleanRegistry.cleanup('delete');
});

// The session engine in plain Node, with the real parts: the embedded sandbox, the receiver over HTTP, the Kaltura
// client, the template registry on disk and a real localtunnel client against a loopback tunnel server. Start and
// stop are tested here, not only through the browser tests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startSandbox } from '../../../src/sandbox';
import { createEventStore } from '../../../src/core/events/eventStore';
import type { EventStoreApi } from '../../../src/core/events/storeTypes';
import { createKalturaConnection } from '../../../src/core/kaltura/connection';
import { registerWebhook } from '../../../src/core/kaltura/registration';
import { TemplateStatus } from '../../../src/core/kaltura/schemas';
import { buildSampleRequest } from '../../../src/core/providers/samples';
import { SessionEngine } from '../../../src/core/session/sessionEngine';
import type { OrphanAnswer, SessionPlan, SessionPorts, SessionState } from '../../../src/core/session/sessionTypes';
import { FakeLocaltunnelServer } from '../../support/fakeLocaltunnelServer';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let dir: string;
const stores: EventStoreApi[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kwh-session-'));
});
after(async () => {
  for (const store of stores) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function newStore(): EventStoreApi {
  const store = createEventStore({ flushIntervalMs: 5 });
  stores.push(store);
  return store;
}

interface Recorded {
  lines: string[];
  ports: SessionPorts<Sandbox>;
  asked: number;
}

function ports(answer: OrphanAnswer | undefined = undefined, extra: Partial<SessionPorts<Sandbox>> = {}): Recorded {
  const recorded: Recorded = {
    lines: [],
    asked: 0,
    ports: {
      log: {
        info: (m) => recorded.lines.push(`info ${m}`),
        warn: (m) => recorded.lines.push(`warn ${m}`),
        error: (m, err) => recorded.lines.push(`error ${m}${err ? `: ${String(err)}` : ''}`),
        api: () => undefined,
        registerSecret: () => undefined,
      },
      startSandbox: () => startSandbox({ host: '127.0.0.1', port: 0 }),
      ask: async () => {
        recorded.asked++;
        return answer;
      },
      ...extra,
    },
  };
  return recorded;
}

function plan(overrides: Partial<SessionPlan> = {}): SessionPlan {
  return {
    endpoint: { startSandbox: true, tunnel: 'none', warnings: [] },
    receiver: { host: '127.0.0.1', port: 0, responseMode: 'ok' },
    kalturaSecrets: [],
    basicAuth: [],
    cleanupPolicy: 'delete',
    registryDirectory: join(dir, 'registry'),
    ...overrides,
  };
}

async function portIsClosed(url: string): Promise<boolean> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function postSample(url: string, secret: string, partnerId: number): Promise<number> {
  const sample = buildSampleRequest('kaltura', { secret, partnerId, templateId: 93001, templateName: 'Session check', entryId: '0_session1', jobId: 700_000_001 });
  const res = await request(url + sample.path, { method: 'POST', headers: sample.headers, body: sample.body });
  await res.body.dump();
  return res.statusCode;
}

test('sandbox plan: start brings up sandbox, receiver and registry; a registered template is deleted at stop; everything closes', async () => {
  const store = newStore();
  const recorded = ports();
  const session = new SessionEngine<Sandbox>(store, recorded.ports);
  const states: SessionState[] = [];
  session.onDidChange(() => {
    if (states.at(-1) !== session.state) states.push(session.state);
  });
  const steps: string[] = [];
  await session.start(plan(), (step) => steps.push(step));
  assert.deepEqual(steps, ['sandbox', 'receiver']);

  const running = session.snapshot();
  assert.equal(running.state, 'running');
  assert.equal(running.account?.mode, 'sandbox');
  assert.ok(running.receiverUrl && running.webhookUrl === running.receiverUrl, 'the sandbox is called back on the receiver itself');
  const sandbox = session.sandbox!;
  assert.equal(await postSample(running.receiverUrl, sandbox.adminSecret, sandbox.partnerId), 200);
  await store.flush();
  assert.equal(store.all().at(-1)?.verification.status, 'verified', 'signed with the sandbox secret: the session checks it');

  const registered = await registerWebhook({ registry: session.registry!, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: running.webhookUrl!, workspaceToken: 'session-test' });
  await session.syncRegisteredIds();
  assert.deepEqual([...session.snapshot().registeredIds], [registered.template.id]);
  assert.equal(running.registeredIds.size, 0, 'a snapshot taken earlier does not change');

  // A second client to the same sandbox, to see what stop did there.
  const outside = createKalturaConnection({
    serviceUrl: sandbox.url,
    session: { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret },
  });
  const outcomes = await session.stop();
  assert.deepEqual(outcomes.map((o) => [o.action, o.ok]), [['deleted', true]]);
  assert.deepEqual(states, ['starting', 'running', 'stopping', 'stopped']);
  const stopped = session.snapshot();
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.receiverUrl, undefined);
  assert.equal(stopped.registeredIds.size, 0);
  assert.ok(await portIsClosed(running.receiverUrl), 'the receiver port is closed');
  assert.ok(await portIsClosed(sandbox.url), 'the sandbox is closed');
  await assert.rejects(outside.templates.get(registered.template.id));
  const left = existsSync(join(dir, 'registry')) ? readdirSync(join(dir, 'registry')).filter((f) => f.endsWith('.json')) : [];
  assert.deepEqual(left, [], 'the sandbox registry file dies with the sandbox');
});

test('template actions go through the engine: register, re-point and delete keep Kaltura, the registry file and the ids in step', async () => {
  const session = new SessionEngine<Sandbox>(newStore(), ports().ports);
  await session.start(plan({ cleanupPolicy: 'keep' }));
  try {
    const sandbox = session.sandbox!;
    const outside = createKalturaConnection({
      serviceUrl: sandbox.url,
      session: { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret },
    });
    const registered = await session.registerTemplate('HTTP_ENTRY_STATUS_CHANGED', session.webhookUrl()!, 'session-test');
    const { id, systemName } = registered.template;
    assert.deepEqual([...session.snapshot().registeredIds], [id], 'the engine knows the new template at once');
    assert.equal((await outside.templates.get(id)).status, TemplateStatus.ACTIVE);

    const url = await session.repointTemplate({ id, systemName }, 'https://moved.example.com/');
    assert.equal(url, `https://moved.example.com/kaltura/${encodeURIComponent(systemName!)}`);
    assert.equal((await outside.templates.get(id)).url, url, 'Kaltura calls the new URL');
    assert.equal((await session.registry!.list()).find((r) => r.id === id)?.url, url, 'and the registry record says so');

    await session.deleteTemplate({ id, systemName });
    await assert.rejects(outside.templates.get(id));
    assert.deepEqual(await session.registry!.list(), [], 'the registry forgot it');
    assert.equal(session.snapshot().registeredIds.size, 0);
  } finally {
    await session.stop();
  }
  await assert.rejects(session.deleteTemplate({ id: 1 }), /template registry is not ready/);
});

test('live plan against a Kaltura server: a kept template is found by the next session, which asks, and deletes it on "delete"', async () => {
  const kaltura = await startSandbox({ host: '127.0.0.1', port: 0 });
  try {
    const live: SessionPlan['live'] = {
      key: `${kaltura.url}#${kaltura.partnerId}`,
      serviceUrl: kaltura.url,
      partnerId: kaltura.partnerId,
      session: { kind: 'localAdminSecret', partnerId: kaltura.partnerId, adminSecret: kaltura.adminSecret },
    };
    // Loopback is what this Kaltura reaches, so the receiver's own URL is the public one.
    const first = new SessionEngine(newStore(), ports().ports);
    await first.start(plan({ endpoint: { startSandbox: false, tunnel: 'none', warnings: [] }, live, cleanupPolicy: 'keep' }));
    assert.equal(first.snapshot().account?.mode, 'live');
    assert.equal(first.snapshot().webhookUrl, undefined, 'a live account without a tunnel has no public URL');
    const registered = await registerWebhook({ registry: first.registry!, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: first.receiver!.url, workspaceToken: 'session-test' });
    assert.deepEqual(await first.stop(), [], 'policy keep: nothing is cleaned up');

    const outside = createKalturaConnection({ serviceUrl: kaltura.url, session: live.session! });
    assert.equal((await outside.templates.get(registered.template.id)).status, TemplateStatus.ACTIVE);

    const recorded = ports('delete');
    const second = new SessionEngine(newStore(), recorded.ports);
    await second.start(plan({ endpoint: { startSandbox: false, tunnel: 'none', warnings: [] }, live, cleanupPolicy: 'keep' }));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !recorded.lines.some((l) => l.startsWith(`info deleted template ${registered.template.id}`))) await new Promise((r) => setTimeout(r, 20));
    assert.equal(recorded.asked, 1, 'the orphan was put to the host once');
    await assert.rejects(outside.templates.get(registered.template.id));
    await second.stop();
  } finally {
    await kaltura.close();
  }
});

test('a live plan without credentials receives, and says why the API is unavailable', async () => {
  const session = new SessionEngine(newStore(), ports().ports);
  await session.start(plan({ endpoint: { startSandbox: false, tunnel: 'none', warnings: [] }, live: { key: 'live', serviceUrl: 'https://www.kaltura.com', unavailable: 'No partner id is set.' } }));
  try {
    assert.equal(session.kaltura, undefined);
    assert.equal(session.snapshot().account?.unavailable, 'No partner id is set.');
    assert.equal(await postSample(session.receiver!.url, 'not-known', 101), 200, 'events are still received');
  } finally {
    await session.stop();
  }
});

test('localtunnel: up through the loopback tunnel server; a tunnel that cannot open leaves the receiver up, unless the plan requires it', async () => {
  const server = await FakeLocaltunnelServer.start({ maxConnCount: 2 });
  try {
    const tuning = { probeVia: server.publicOrigin, probeIntervalMs: 0, backoffBaseMs: 50, backoffCapMs: 200, controlRetryIntervalMs: 100, connectTimeoutMs: 1500 };
    const tunnels: string[] = [];
    const session = new SessionEngine(newStore(), ports(undefined, { onTunnel: (t) => void tunnels.push(t.status.kind) }).ports);
    await session.start(
      plan({ endpoint: { startSandbox: false, tunnel: 'localtunnel', warnings: [] }, localtunnel: { host: server.controlUrl, subdomain: 'session-one' }, tunnelTuning: tuning }),
    );
    assert.equal(session.snapshot().publicUrl, server.publicUrlFor('session-one'));
    assert.deepEqual(tunnels, ['localtunnel']);
    const probe = await session.tunnel!.probeNow();
    assert.equal(probe.ok, true, 'the probe went through the tunnel to the session receiver');
    await session.stop();
    assert.equal(session.snapshot().publicUrl, undefined);

    const closedControl = { ...tuning, connectTimeoutMs: 300 };
    const refused = plan({ endpoint: { startSandbox: false, tunnel: 'localtunnel', warnings: [] }, localtunnel: { host: 'http://127.0.0.1:9' }, tunnelTuning: closedControl });
    const tolerant = new SessionEngine(newStore(), ports().ports);
    await tolerant.start(refused);
    assert.equal(tolerant.state, 'running');
    assert.match(tolerant.snapshot().lastError ?? '', /^tunnel: /);
    assert.equal(await postSample(tolerant.receiver!.url, 'x', 101), 200, 'the receiver stays useful locally');
    await tolerant.stop();

    let receiverUrl = '';
    const strictPorts = ports(undefined, { onReceiver: (r) => void (receiverUrl = r.url) }).ports;
    const strictSession = new SessionEngine(newStore(), strictPorts);
    await assert.rejects(strictSession.start({ ...refused, tunnelRequired: true }));
    assert.equal(strictSession.state, 'stopped');
    assert.ok(receiverUrl && (await portIsClosed(receiverUrl)), 'a failed start closes the receiver it opened');
  } finally {
    await server.close();
  }
});

test('the store stays the same object when its capacity changes; the oldest events leave memory', async () => {
  const store = newStore();
  const session = new SessionEngine(store, ports().ports);
  await session.start(plan({ endpoint: { startSandbox: false, tunnel: 'none', warnings: [] } }));
  try {
    for (let i = 0; i < 5; i++) assert.equal(await postSample(session.receiver!.url, 'x', 100 + i), 200);
    await store.flush();
    const newest = store.all().slice(-2).map((e) => e.id);
    const evicted: string[] = [];
    store.onChange((c) => evicted.push(...c.evicted));
    store.setCapacity(2);
    await store.flush();
    assert.equal(session.store, store);
    assert.equal(store.capacity, 2);
    assert.deepEqual(store.all().map((e) => e.id), newest);
    assert.equal(evicted.length, 3, 'the evicted events are announced');
  } finally {
    await session.stop();
  }
});

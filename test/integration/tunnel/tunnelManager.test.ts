// The tunnel manager with the real localtunnel client on loopback: every failure mode from
// tunnels.md §c, each expected to be survived or named.
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';
import { createTunnelManager, type TunnelManager, type TunnelManagerOptions } from '../../../src/core/tunnel';
import { FakeLocaltunnelServer, type FakeLocaltunnelServerOptions } from '../../support/fakeLocaltunnelServer';
import { LocalApp, type LocalAppOptions } from './localApp';

/** Fast timings so every test finishes in seconds. */
const FAST = {
  connectTimeoutMs: 3000,
  controlRetryIntervalMs: 100,
  backoffBaseMs: 50,
  backoffCapMs: 400,
  emptyPoolGraceMs: 500,
  probeIntervalMs: 0,
  probeTimeoutMs: 1000,
  idReleaseWaitMs: 300,
} as const;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(
  serverOptions: FakeLocaltunnelServerOptions = {},
  appOptions: LocalAppOptions = {},
): Promise<{ server: FakeLocaltunnelServer; app: LocalApp }> {
  const server = await FakeLocaltunnelServer.start({ maxConnCount: 3, ...serverOptions });
  cleanups.push(() => server.close());
  const app = await LocalApp.start(appOptions);
  cleanups.push(() => app.close());
  return { server, app };
}

function manager(
  server: FakeLocaltunnelServer,
  app: LocalApp,
  extra: Partial<Extract<TunnelManagerOptions, { kind: 'localtunnel' }>> = {},
): TunnelManager {
  const m = createTunnelManager({
    kind: 'localtunnel',
    host: server.controlUrl,
    localPort: app.port,
    localHost: '127.0.0.1',
    probeVia: server.publicOrigin,
    ...FAST,
    ...extra,
  });
  cleanups.push(() => m.stop());
  return m;
}

function idOf(url: string): string {
  return new URL(url).hostname.split('.')[0]!;
}

function nextEvent<T extends unknown[]>(m: TunnelManager, event: 'up' | 'down' | 'url-changed' | 'probe', timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" event within ${timeoutMs} ms`)), timeoutMs);
    m.once(event, ((...args: T) => {
      clearTimeout(timer);
      resolve(args);
    }) as never);
  });
}

describe('tunnel manager: localtunnel on loopback', () => {
  test('happy path: up with several sockets, the probe passes, requests arrive byte for byte', async () => {
    const { server, app } = await setup();
    const m = manager(server, app);
    const probed = nextEvent<[{ ok: boolean; failure?: unknown }]>(m, 'probe');
    const url = await m.start();
    const id = idOf(url);
    assert.equal(url, server.publicUrlFor(id));
    await server.waitForSockets(id, 3);
    const [probe] = await probed;
    assert.equal(probe.ok, true, JSON.stringify(probe.failure));
    const status = m.status;
    assert.equal(status.state, 'up');
    assert.equal(status.clientId, id);
    assert.equal(status.sockets, 3);
    assert.equal(status.maxSockets, 3);
    assert.equal(status.lastProbe?.ok, true);
    assert.equal(app.probes.length, 1, 'the probe reached the local app through the tunnel');

    // Several requests at once spread over the pool.
    const bodies = Array.from({ length: 6 }, (_, i) => `{"n":${i}}`);
    const answers = await Promise.all(bodies.map((b, i) => server.publicRequest(id, { path: `/hook/${i}`, body: b })));
    assert.deepEqual(answers.map((a) => a.status), bodies.map(() => 200));
    assert.deepEqual(app.seen.map((s) => s.body.toString()).sort(), [...bodies].sort());
  });

  test('a request larger than one TCP chunk arrives intact', async () => {
    const { server, app } = await setup();
    const m = manager(server, app);
    const id = idOf(await m.start());
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const res = await server.publicRequest(id, { path: '/big', body: big, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(res.status, 200);
    const seen = app.seen.at(-1)!;
    assert.equal(seen.bodyLength, big.length);
    assert.equal(seen.bodySha256, createHash('sha256').update(big).digest('hex'));
  });

  test('Host header: a loopback receiver sees the public Host on every request of a kept-alive socket', async () => {
    const { server, app } = await setup({ maxConnCount: 1 });
    const m = manager(server, app);
    const probed = nextEvent(m, 'probe');
    const id = idOf(await m.start());
    await probed;
    // The probe asks for `Connection: close`, so its socket is replaced; wait until the replacement reached the app.
    await server.waitFor(() => app.accepted >= 2 && app.open === 1, 'the tunnel socket used by the probe to be replaced');
    await server.waitForSockets(id, 1);
    await server.publicRequest(id, { path: '/one', body: 'a', headers: { connection: 'keep-alive' } });
    await server.publicRequest(id, { path: '/two', body: 'b', headers: { connection: 'keep-alive' } });
    const [one, two] = app.seen.slice(-2);
    assert.equal(one!.remotePort, two!.remotePort, 'both requests used one keep-alive socket');
    assert.equal(one!.headers.host, `${id}.localhost:${server.publicPort}`);
    assert.equal(two!.headers.host, one!.headers.host);
  });

  test('an invalid subdomain is refused locally, before any request, naming the rule', async () => {
    const { server, app } = await setup();
    assert.throws(() => manager(server, app, { subdomain: 'ab' }), /invalid tunnel subdomain "ab": use 4–63 lowercase letters/);
    assert.throws(() => manager(server, app, { subdomain: 'Kaltura_Dev' }), /invalid tunnel subdomain/);
    assert.equal(server.controlRequests.length, 0);
  });

  test('a 403 from the server fails at once with its message (no silent retry loop)', async () => {
    const { server, app } = await setup();
    server.rejectedIds.add('strict-server-id');
    const m = manager(server, app, { subdomain: 'strict-server-id' });
    const t0 = Date.now();
    await assert.rejects(m.start(), /refused subdomain "strict-server-id" \(HTTP 403: Invalid subdomain\. Subdomains must be lowercase/);
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(server.controlRequests.length, 1);
    assert.equal(m.status.state, 'down');
  });

  test('a control server that never answers: bounded by the connect timeout with a clear error', async () => {
    const { server, app } = await setup();
    server.controlMode = 'hang';
    const m = manager(server, app, { connectTimeoutMs: 400 });
    const t0 = Date.now();
    await assert.rejects(
      m.start(),
      (err: Error) =>
        err.message.startsWith(`tunnel server ${server.controlUrl} did not grant a tunnel within 0.4 s: the server did not answer`) &&
        err.message.includes('it is slow or unreachable from here; retry, or use a public URL you already have, or VS Code port forwarding') &&
        !err.message.includes('subdomain'),
    );
    const took = Date.now() - t0;
    assert.ok(took >= 350 && took < 1500, `took ${took} ms`);
  });

  test('5xx from the control server is retried until the server recovers', async () => {
    const { server, app } = await setup();
    server.controlMode = 'unavailable';
    setTimeout(() => (server.controlMode = 'normal'), 350);
    const m = manager(server, app);
    const url = await m.start();
    assert.ok(server.hasClient(idOf(url)));
    assert.ok(server.controlRequests.length >= 3, `saw ${server.controlRequests.length} control requests`);
  });

  test('tunnel port closed mid-session: reconnects by itself, keeps the URL when the id is free, events flow again', async () => {
    const { server, app } = await setup();
    const m = manager(server, app);
    const url = await m.start();
    const id = idOf(url);
    await server.waitForSockets(id, 3);
    const changed: string[][] = [];
    m.on('url-changed', (a, b) => changed.push([a, b]));
    const down = nextEvent<[string]>(m, 'down');
    const up = nextEvent<[string, { reconnected: boolean; downtimeMs?: number }]>(m, 'up');
    server.dropClient(id);
    const [reason] = await down;
    assert.match(reason, /connection refused|no tunnel socket/);
    const [newUrl, info] = await up;
    assert.equal(info.reconnected, true);
    assert.ok(typeof info.downtimeMs === 'number');
    console.log(`# reconnect after tunnel drop: ${info.downtimeMs} ms (backoff base ${FAST.backoffBaseMs} ms)`);
    assert.equal(newUrl, url, 'asked for the previous id and got it back');
    assert.deepEqual(changed, []);
    await server.waitForSockets(id, 3);
    const res = await server.publicRequest(id, { path: '/after-drop', body: 'again' });
    assert.equal(res.status, 200);
    assert.equal(app.seen.at(-1)!.body.toString(), 'again');
    assert.equal(m.status.reconnects, 1);
    assert.equal(m.status.state, 'up');
  });

  test('tunnel port closed and the id still taken: new URL, url-changed, events flow on the new URL', async () => {
    const { server, app } = await setup();
    const m = manager(server, app);
    const url = await m.start();
    const id = idOf(url);
    const changed = nextEvent<[string, string]>(m, 'url-changed');
    server.takenIds.add(id);
    server.dropClient(id);
    const [oldUrl, newUrl] = await changed;
    assert.equal(oldUrl, url);
    assert.notEqual(newUrl, url);
    const newId = idOf(newUrl);
    await server.waitForSockets(newId, 3);
    assert.equal((await server.publicRequest(newId, { body: 'x' })).status, 200);
    const stale = await server.publicRequest(id, { body: 'x' });
    assert.equal(stale.status, 503);
    assert.equal(stale.headers['x-localtunnel-status'], 'Tunnel Unavailable');
  });

  test('a requested subdomain silently replaced: url-changed from the wanted URL to the granted one', async () => {
    const { server, app } = await setup();
    server.takenIds.add('kaltura-dev');
    const m = manager(server, app, { subdomain: 'kaltura-dev' });
    const changed = nextEvent<[string, string]>(m, 'url-changed');
    const logs: string[] = [];
    m.on('log', (l) => logs.push(l));
    const url = await m.start();
    const [wanted, granted] = await changed;
    assert.equal(wanted, server.publicUrlFor('kaltura-dev'));
    assert.equal(granted, url);
    assert.notEqual(m.status.clientId, 'kaltura-dev');
    assert.equal(m.status.requestedSubdomain, 'kaltura-dev');
    assert.ok(logs.some((l) => l.includes('instead of the requested subdomain "kaltura-dev"')));
  });

  test('a requested subdomain that is free is granted as is', async () => {
    const { server, app } = await setup();
    const m = manager(server, app, { subdomain: 'kaltura-dev' });
    assert.equal(await m.start(), server.publicUrlFor('kaltura-dev'));
  });

  test('Connection: close recycling: every socket is used once and the pool refills', async () => {
    const { server, app } = await setup({}, { connectionClose: true });
    const m = manager(server, app);
    const downs: string[] = [];
    m.on('down', (r) => downs.push(r));
    const id = idOf(await m.start());
    await server.waitForSockets(id, 3);
    for (let i = 0; i < 8; i++) {
      const res = await server.publicRequest(id, { path: `/c/${i}`, body: String(i) });
      assert.equal(res.status, 200);
    }
    await server.waitForSockets(id, 3);
    assert.equal(app.seen.length, 8);
    assert.deepEqual(downs, []);
    assert.equal(m.status.sockets, 3);
  });

  test('idle-socket recycling by the server (loca.lt style) does not take the tunnel down', async () => {
    const { server, app } = await setup({ idleSocketTimeoutMs: 150 });
    const m = manager(server, app);
    const downs: string[] = [];
    m.on('down', (r) => downs.push(r));
    const id = idOf(await m.start());
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await server.publicRequest(id, { body: 'still here' })).status, 200);
    assert.deepEqual(downs, []);
    assert.equal(m.status.state, 'up');
  });

  test('up on paper, delivering nothing: the self-probe notices and the tunnel is reopened', async () => {
    const { server, app } = await setup();
    const m = manager(server, app, { probeIntervalMs: 100, probeFailuresBeforeReconnect: 2 });
    const url = await m.start();
    const id = idOf(url);
    await nextEvent(m, 'probe');
    // The server forgets the tunnel (a restart behind a load balancer) while the client's sockets stay open.
    server.takenIds.add(id);
    server.forgetClient(id);
    const failures: string[] = [];
    m.on('probe', (p) => p.failure && failures.push(p.failure.kind));
    const [reason] = await nextEvent<[string]>(m, 'down', 8000);
    assert.match(reason, /self-probe failed 2 times in a row: the tunnel server no longer has this tunnel \(HTTP 503/);
    assert.deepEqual(failures, ['tunnel-unavailable', 'tunnel-unavailable']);
    const [newUrl] = await nextEvent<[string]>(m, 'up');
    assert.notEqual(newUrl, url);
    const ok = await m.probeNow();
    assert.equal(ok.ok, true);
  });

  test('after closing a tunnel itself, it waits for the server to release the id, so the URL survives', async () => {
    const { server, app } = await setup({ gracePeriodMs: 200 }, { probe: 'wrong' });
    // A receiver that never echoes the nonce makes every probe fail: the manager closes the tunnel itself.
    const patient = manager(server, app, { probeIntervalMs: 50, idReleaseWaitMs: 500 });
    const url = await patient.start();
    const changed: string[] = [];
    patient.on('url-changed', (_a, b) => changed.push(b));
    const [again, info] = await nextEvent<[string, { reconnected: boolean }]>(patient, 'up', 5000);
    assert.equal(info.reconnected, true);
    assert.equal(again, url, 'the same id was granted again');
    assert.deepEqual(changed, []);
    await patient.stop();

    // The same without the wait: the server still holds the id and silently hands out another.
    const hasty = manager(server, app, { probeIntervalMs: 50, idReleaseWaitMs: 0, backoffBaseMs: 1 });
    const url2 = await hasty.start();
    const [oldUrl, newUrl] = await nextEvent<[string, string]>(hasty, 'url-changed', 5000);
    assert.equal(oldUrl, url2);
    assert.notEqual(newUrl, url2);
  });

  test('reconnect() on demand: down, then up again on the same URL', async () => {
    const { server, app } = await setup({ gracePeriodMs: 100 });
    const m = manager(server, app);
    const url = await m.start();
    const down = nextEvent<[string]>(m, 'down');
    const up = nextEvent<[string, { reconnected: boolean }]>(m, 'up');
    m.reconnect('user asked');
    assert.equal((await down)[0], 'user asked');
    const [again, info] = await up;
    assert.equal(info.reconnected, true);
    assert.equal(again, url);
    await assert.rejects(m.start(), /already started or stopped/);
  });

  test('stop() closes every socket and timer', async () => {
    const { server, app } = await setup();
    const m = manager(server, app, { probeIntervalMs: 50 });
    const id = idOf(await m.start());
    await server.waitForSockets(id, 3);
    await m.stop();
    await server.waitForSockets(id, 0, 2000);
    assert.equal(m.status.state, 'stopped');
    await m.stop();
  });
});

// The self-probe names what stands between the public URL and the receiver, through the real client and the
// loopback fake (reminder page, 503, 504, wrong echo, silence, refused connection), and external-URL mode.
import { KALTURA_BATCH_USER_AGENT } from '../../../src/protocol/kalturaHeaders';
import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import localtunnel from 'localtunnel';
import {
  createTunnelManager,
  DEFAULT_PROBE_HEADERS,
  probePublicUrl,
} from '../../../src/core/tunnel';
import { FakeLocaltunnelServer } from '../../support/fakeLocaltunnelServer';
import { LocalApp } from './localApp';

async function openRawTunnel(server: FakeLocaltunnelServer, port: number): Promise<{ id: string; close(): void }> {
  const tunnel = await localtunnel({ port, host: server.controlUrl });
  const id = (tunnel as localtunnel.Tunnel & { clientId: string }).clientId;
  await server.waitForSockets(id, 2);
  return { id, close: () => tunnel.close() };
}

describe('self-probe through the loopback tunnel', () => {
  let server: FakeLocaltunnelServer;
  let echo: LocalApp;
  let tunnel: { id: string; close(): void };
  before(async () => {
    server = await FakeLocaltunnelServer.start({ maxConnCount: 2, gatewayTimeoutMs: 200, gracePeriodMs: 10_000 });
    echo = await LocalApp.start();
    tunnel = await openRawTunnel(server, echo.port);
  });
  after(async () => {
    tunnel.close();
    await server.close();
    await echo.close();
  });

  const probe = (id: string, extra: Partial<Parameters<typeof probePublicUrl>[0]> = {}) =>
    probePublicUrl({ publicUrl: server.publicUrlFor(id), via: server.publicOrigin, timeoutMs: 1000, ...extra });

  test('a working tunnel echoes the nonce; the probe looks like Kaltura (browser UA + bypass header, POST)', async () => {
    const result = await probe(tunnel.id);
    assert.equal(result.ok, true, JSON.stringify(result.failure));
    assert.equal(result.status, 200);
    assert.ok(result.latencyMs >= 0);
    assert.equal(DEFAULT_PROBE_HEADERS['user-agent'], KALTURA_BATCH_USER_AGENT);
    assert.equal(DEFAULT_PROBE_HEADERS['Bypass-Tunnel-Reminder'], '1');
  });

  test('reminder page: a browser-like User-Agent without Bypass-Tunnel-Reminder gets the 401 HTML, named', async () => {
    server.reminder = true;
    try {
      const bare = await probe(tunnel.id, { headers: { 'user-agent': KALTURA_BATCH_USER_AGENT } });
      assert.equal(bare.ok, false);
      assert.equal(bare.status, 401);
      assert.equal(bare.failure?.kind, 'reminder-page');
      assert.match(bare.failure!.message, /Bypass-Tunnel-Reminder/);
      const withBypass = await probe(tunnel.id);
      assert.equal(withBypass.ok, true, 'the default probe carries the bypass header');
    } finally {
      server.reminder = false;
    }
  });

  test('unknown tunnel: 503 with X-Localtunnel-Status, named tunnel-unavailable', async () => {
    const result = await probe('no-such-tunnel');
    assert.equal(result.status, 503);
    assert.equal(result.failure?.kind, 'tunnel-unavailable');
    assert.match(result.failure!.message, /X-Localtunnel-Status: Tunnel Unavailable/);
  });

  test('granted but no socket ever connects: the gateway answers 504, named gateway-timeout', async () => {
    const res = await request(`${server.controlUrl}/?new`);
    const { id } = (await res.body.json()) as { id: string };
    const result = await probe(id);
    assert.equal(result.status, 504);
    assert.equal(result.failure?.kind, 'gateway-timeout');
  });

  test('200 without the nonce: some other server answers, named nonce-mismatch', async () => {
    const other = await LocalApp.start({ probe: 'wrong' });
    const t = await openRawTunnel(server, other.port);
    try {
      const result = await probe(t.id);
      assert.equal(result.failure?.kind, 'nonce-mismatch');
    } finally {
      t.close();
      await other.close();
    }
  });

  test('no answer at all: named timeout, within the probe timeout', async () => {
    const silent = await LocalApp.start({ probe: 'silent' });
    const t = await openRawTunnel(server, silent.port);
    try {
      const t0 = Date.now();
      // Shorter than the fake gateway's 200 ms, which would otherwise answer 504 first.
      const result = await probe(t.id, { timeoutMs: 100 });
      assert.equal(result.failure?.kind, 'timeout');
      assert.ok(Date.now() - t0 < 1500);
    } finally {
      t.close();
      await silent.close();
    }
  });

  test('nothing listening: named connection-error with the cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const result = await probePublicUrl({ publicUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
    assert.equal(result.failure?.kind, 'connection-error');
    assert.match(result.failure!.message, /ECONNREFUSED/);
  });
});

describe('external URL mode', () => {
  test('no tunnel is opened; up at once; the self-probe runs against the given URL', async () => {
    const app = await LocalApp.start();
    // Stands in for VS Code port forwarding / ngrok / a reverse proxy: the URL reaches the receiver directly.
    const m = createTunnelManager({ kind: 'external', publicUrl: `http://127.0.0.1:${app.port}/`, probeIntervalMs: 0 });
    try {
      const probed = new Promise<{ ok: boolean }>((resolve) => m.once('probe', resolve));
      const url = await m.start();
      assert.equal(url, `http://127.0.0.1:${app.port}`);
      assert.equal(m.status.state, 'up');
      assert.equal(m.status.kind, 'external');
      assert.equal((await probed).ok, true);
      assert.equal(app.probes.length, 1);
    } finally {
      await m.stop();
      await app.close();
    }
  });

  test('an external URL that delivers nothing is reported, not "fixed"', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const m = createTunnelManager({ kind: 'external', publicUrl: `http://127.0.0.1:${port}`, probeIntervalMs: 0, probeTimeoutMs: 500 });
    try {
      const downs: string[] = [];
      m.on('down', (r) => downs.push(r));
      const probed = new Promise<{ ok: boolean; failure?: { kind: string } }>((resolve) => m.once('probe', resolve));
      await m.start();
      const result = await probed;
      assert.equal(result.ok, false);
      assert.equal(result.failure?.kind, 'connection-error');
      assert.equal(m.status.state, 'up');
      assert.equal(m.status.lastProbe?.failure?.kind, 'connection-error');
      assert.deepEqual(downs, []);
    } finally {
      await m.stop();
    }
  });

  test('one 502 from a proxy in front of the receiver is asked again before it is reported; two in a row are', async () => {
    // Stands in for code-server's /proxy/PORT/, which answered a probe 502 once in an e2e run: it fails the first
    // `badAnswers` probes with 502, then echoes the nonce as the receiver does.
    let badAnswers = 1;
    let seen = 0;
    const proxy = http.createServer((req, res) => {
      seen++;
      if (badAnswers-- > 0) return void res.writeHead(502).end('Bad Gateway');
      const nonce = (req.url ?? '').split('/').pop() ?? '';
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`kwh-probe ${nonce}`);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as AddressInfo).port;
    const m = createTunnelManager({ kind: 'external', publicUrl: `http://127.0.0.1:${port}`, probeIntervalMs: 0, probeTimeoutMs: 2000 });
    try {
      const reported: Array<{ ok: boolean; failure?: { kind: string } }> = [];
      m.on('probe', (r) => reported.push(r));
      await m.start();
      while (reported.length === 0) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(reported.map((r) => r.ok), [true], 'the transient 502 was not reported');
      assert.equal(seen, 2, 'asked twice');

      badAnswers = 2;
      seen = 0;
      const twice = await m.probeNow();
      assert.equal(twice.failure?.kind, 'bad-gateway', 'a 502 that repeats is reported');
      assert.equal(seen, 2);
    } finally {
      await m.stop();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });

  test('a malformed public URL is a clear error', () => {
    assert.throws(
      () => createTunnelManager({ kind: 'external', publicUrl: 'example.com/hooks' }),
      /invalid tunnel options: publicUrl: the public URL \(--public-url\) is not a URL; use an absolute http:\/\/ or https:\/\/ address/,
    );
    assert.throws(() => createTunnelManager({ kind: 'external', publicUrl: 'ftp://example.com' }), /must be an absolute http/);
  });
});

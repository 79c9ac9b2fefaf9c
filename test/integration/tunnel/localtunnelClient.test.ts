// The unmodified localtunnel@2.0.2 client (with the overridden axios) against the loopback fake server: proves
// the fake speaks the protocol, and pins down the client defects the tunnel manager works around.
import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import localtunnel from 'localtunnel';
import { FakeLocaltunnelServer } from '../../support/fakeLocaltunnelServer';
import { LocalApp } from './localApp';

/** @types/localtunnel omits clientId, which the client sets from the grant. */
function clientIdOf(tunnel: localtunnel.Tunnel): string {
  return (tunnel as localtunnel.Tunnel & { clientId: string }).clientId;
}

describe('real localtunnel client against the fake server', () => {
  let server: FakeLocaltunnelServer;
  let app: LocalApp;
  before(async () => {
    server = await FakeLocaltunnelServer.start({ maxConnCount: 3 });
    app = await LocalApp.start();
  });
  after(async () => {
    await server.close();
    await app.close();
  });

  test('localtunnel resolves an axios >= 1.12 (the package.json override is in effect)', () => {
    const fromLocaltunnel = createRequire(require.resolve('localtunnel'));
    const axiosPkgPath = fromLocaltunnel.resolve('axios/package.json');
    const { version } = fromLocaltunnel(axiosPkgPath) as { version: string };
    const [major, minor] = version.split('.').map(Number) as [number, number];
    assert.ok(major > 1 || (major === 1 && minor >= 12), `localtunnel resolves axios ${version} from ${dirname(axiosPkgPath)}`);
  });

  test('happy path: the client (axios control request) opens max_conn_count sockets and delivers', async () => {
    const tunnel = await localtunnel({ port: app.port, host: server.controlUrl });
    try {
      const id = clientIdOf(tunnel);
      assert.equal(tunnel.url, server.publicUrlFor(id));
      await server.waitForSockets(id, 3);
      assert.match(server.controlRequests.at(-1)!.userAgent ?? '', /^axios\/1\./);
      const res = await server.publicRequest(id, { path: '/hook?x=1', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), 'OK');
      const seen = app.seen.at(-1)!;
      assert.equal(seen.url, '/hook?x=1');
      assert.equal(seen.body.toString(), '{"a":1}');
    } finally {
      tunnel.close();
    }
  });

  test('the 403 hang: a refused subdomain leaves the promise pending while the client retries every second', async () => {
    server.rejectedIds.add('refused-id');
    const before = server.controlRequests.length;
    let settled = false;
    const pending = localtunnel({ port: app.port, host: server.controlUrl, subdomain: 'refused-id' }).then(
      (t) => ((settled = true), t),
      (e: unknown) => {
        settled = true;
        throw e;
      },
    );
    await new Promise((r) => setTimeout(r, 2300));
    assert.equal(settled, false, 'the promise settled, so the client defect is gone');
    const attempts = server.controlRequests.slice(before).filter((r) => r.path === '/refused-id').length;
    assert.ok(attempts >= 2, `expected repeated control requests, saw ${attempts}`);
    // End the client's endless loop the only way it allows: let its next attempt succeed.
    server.rejectedIds.delete('refused-id');
    const tunnel = await pending;
    tunnel.close();
  });

  test('tunnel port closed: error events, no new control request, no recovery', async () => {
    const tunnel = await localtunnel({ port: app.port, host: server.controlUrl });
    const id = clientIdOf(tunnel);
    const errors: string[] = [];
    tunnel.on('error', (e: Error) => errors.push(e.message));
    try {
      await server.waitForSockets(id, 3);
      const controlBefore = server.controlRequests.length;
      server.dropClient(id);
      await server.waitFor(() => errors.length >= 1, 'an error event');
      await new Promise((r) => setTimeout(r, 300));
      assert.match(errors[0]!, /connection refused: 127\.0\.0\.1:\d+ \(check your firewall settings\)/);
      assert.equal(server.controlRequests.length, controlBefore, 'the client never asks for a new tunnel');
      assert.equal(server.hasClient(id), false);
    } finally {
      tunnel.close();
    }
  });

  test('local_host: the client rewrites Host on the first request of a socket only', async () => {
    const single = await FakeLocaltunnelServer.start({ maxConnCount: 1 });
    const tunnel = await localtunnel({ port: app.port, host: single.controlUrl, local_host: '127.0.0.1' });
    try {
      const id = clientIdOf(tunnel);
      await single.waitForSockets(id, 1);
      const start = app.seen.length;
      // The fake forwards headers as they come, like the real server; keep-alive keeps the tunnel socket.
      await single.publicRequest(id, { path: '/one', body: 'a', headers: { connection: 'keep-alive' } });
      await single.publicRequest(id, { path: '/two', body: 'b', headers: { connection: 'keep-alive' } });
      const [one, two] = app.seen.slice(start);
      assert.equal(one!.remotePort, two!.remotePort, 'both requests used one keep-alive socket');
      assert.equal(one!.headers.host, '127.0.0.1');
      assert.equal(two!.headers.host, `${id}.localhost:${single.publicPort}`);
    } finally {
      tunnel.close();
      await single.close();
    }
  });
});

// Issue 15, item 6: when no tunnel can be had, the message names the real cause. Real failures, no stand-ins: a name
// in the reserved .invalid domain (RFC 6761: it never resolves) and a loopback port nobody listens on.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { Agent } from 'undici';
import { requestLocaltunnelGrant, TunnelConnectError } from '../../../src/core/tunnel/localtunnelGrant';

async function grantError(host: string): Promise<TunnelConnectError> {
  try {
    await requestLocaltunnelGrant({ host, deadline: Date.now() + 5000, retryIntervalMs: 500 });
  } catch (err) {
    assert.ok(err instanceof TunnelConnectError, String(err));
    return err;
  }
  throw new Error(`${host} granted a tunnel`);
}

test('a tunnel server name that does not resolve is reported as no network or DNS, not as a subdomain problem', async () => {
  const err = await grantError('http://kwh-no-such-tunnel-server.invalid');
  assert.match(err.message, /this machine cannot resolve kwh-no-such-tunnel-server\.invalid \((ENOTFOUND|EAI_AGAIN)\): there is no network connection, or DNS is blocked/);
  assert.match(err.message, /a public URL you already have, or VS Code port forwarding/);
  assert.doesNotMatch(err.message, /subdomain/);
});

test('a tunnel server that refuses connections is reported as unreachable', async () => {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
  const err = await grantError(`http://127.0.0.1:${port}`);
  assert.match(err.message, /127\.0\.0\.1 could not be reached \([^)]*ECONNREFUSED[^)]*\): the server is down, or a firewall or proxy blocks it/);
});

test('a name lookup that never finishes (a DNS server that drops queries) is reported as DNS, not as a silent server', async () => {
  // Both the request's connect and the watch beside it use a resolver that never answers, as a dropped query does.
  const never = () => new Promise<never>(() => undefined);
  const dispatcher = new Agent({ connect: { lookup: () => undefined } });
  // AbortSignal.timeout does not keep Node alive, and nothing else here does while the lookup hangs.
  const alive = setInterval(() => undefined, 1000);
  try {
    await assert.rejects(
      requestLocaltunnelGrant({ host: 'http://tunnel.example.com', deadline: Date.now() + 600, retryIntervalMs: 100, dispatcher, lookupHost: never }),
      (err: Error) => {
        assert.match(err.message, /this machine cannot resolve tunnel\.example\.com \(the name lookup did not finish in [\d.]+ s\): there is no network connection, or DNS is blocked/);
        return true;
      },
    );
  } finally {
    clearInterval(alive);
    await dispatcher.destroy();
  }
});

test('a server that accepts and never answers is reported as silent once its name resolved', async () => {
  const sockets: import('node:net').Socket[] = [];
  const srv = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  const alive = setInterval(() => undefined, 1000);
  try {
    const err = await requestLocaltunnelGrant({ host: `http://localhost:${port}`, deadline: Date.now() + 600, retryIntervalMs: 100 }).catch((e: Error) => e);
    assert.ok(err instanceof TunnelConnectError);
    assert.match(err.message, /the server did not answer \(no answer from http:\/\/localhost:\d+\/\?new\)/);
  } finally {
    clearInterval(alive);
    for (const s of sockets) s.destroy();
    srv.close();
  }
});

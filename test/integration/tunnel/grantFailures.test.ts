// Issue 15, item 6: when no tunnel can be had, the message names the real cause. Real failures, no stand-ins: a name
// in the reserved .invalid domain (RFC 6761: it never resolves) and a loopback port nobody listens on.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
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

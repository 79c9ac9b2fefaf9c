// Row 13 of the open-internet table: `npm start` and the e2e suite run code-server without a password, behind the
// loopback host guard (scripts/hostGuard.mjs). A DNS-rebinding page (a foreign Host with a matching Origin) gets
// neither the workbench page nor a WebSocket; the loopback origin gets both. The upstream here is a real HTTP server
// on a unix socket that serves a page and accepts WebSocket upgrades, as code-server does.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs script shared with npm start; it has no type declarations
import { startHostGuard } from '../../../scripts/hostGuard.mjs';

interface Guard {
  port: number;
  url: string;
  close(): Promise<void>;
}

async function upstream(t: { after(fn: () => unknown): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-guard-'));
  const socketPath = join(dir, 'up.sock');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} host=${req.headers.host}`);
    res.end('<title>workbench</title>');
  });
  server.on('upgrade', (req, socket) => {
    seen.push(`UPGRADE ${req.url} host=${req.headers.host}`);
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { socketPath, seen };
}

function get(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(port: number, host: string, origin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET /stable-x?reconnectionToken=1 HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), 2000);
  });
}

test('the code-server guard gives a rebinding Host/Origin no page and no WebSocket', async (t) => {
  const up = await upstream(t);
  const guard = (await startHostGuard({ port: 0, socketPath: up.socketPath })) as Guard;
  t.after(() => guard.close());
  const own = `127.0.0.1:${guard.port}`;
  const rebind = `rebind.attacker.example:${guard.port}`;

  const page = await get(guard.port, { host: rebind, origin: `http://${rebind}` });
  assert.equal(page.status, 403);
  assert.match(page.body, /Host "rebind\.attacker\.example:\d+" is not this loopback server/);
  const ws = await upgrade(guard.port, rebind, `http://${rebind}`);
  assert.match(ws, /^HTTP\/1\.1 403 Forbidden/);
  assert.doesNotMatch(ws, /101 Switching Protocols/);
  const crossOrigin = await upgrade(guard.port, own, 'https://evil.example');
  assert.match(crossOrigin, /^HTTP\/1\.1 403 Forbidden/);
  assert.deepEqual(up.seen, [], 'nothing refused reached code-server');

  const ok = await get(guard.port, { host: own });
  assert.equal(ok.status, 200);
  assert.match(ok.body, /workbench/);
  assert.match(await upgrade(guard.port, `localhost:${guard.port}`, `http://localhost:${guard.port}`), /^HTTP\/1\.1 101 Switching Protocols/);
  assert.deepEqual(up.seen, [`GET / host=${own}`, `UPGRADE /stable-x?reconnectionToken=1 host=localhost:${guard.port}`]);
});

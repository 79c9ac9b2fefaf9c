// The hostile requests of the open-internet table (issue 11), built once for the regression tests and the bench.
import { spawn } from 'node:child_process';

/** Row 1: one legacy multi-notification of 5,000 parts (143 KB). */
export function multiNotificationBody(parts = 5000): string {
  const out = ['multi_notification=true'];
  for (let i = 1; i <= parts; i++) out.push(`not${i}_notification_id=${i - 1}`);
  return out.join('&');
}

/** Row 2: the same shape without notification ids, about `bytes` long. */
export function multiWithoutIdsBody(bytes = 318_000): string {
  const out = ['multi_notification=true'];
  for (let i = 1, length = 0; length < bytes; i++) {
    const part = `not${i}_name=x${i}`;
    out.push(part);
    length += part.length + 1;
  }
  return out.join('&');
}

/** Row 4: `a=%FF&…` up to `bytes` (5 MB by default): a decoder error per field, if the decoder throws. */
export function malformedEscapesBody(bytes = 5 * 1024 * 1024 - 10): string {
  return 'a=%FF&'.repeat(Math.ceil(bytes / 6)).slice(0, bytes);
}

/** Row 5: `count` distinct keys, each with a malformed escape. */
export function distinctMalformedKeysBody(count = 200_000): string {
  return Array.from({ length: count }, (_, i) => `k${i}%zz=1`).join('&');
}

/** Row 7: an XML body of about 5 MB with 420,000 attributes on one element. */
export function manyAttributesXmlBody(): string {
  const attrs = Array.from({ length: 420_000 }, (_, i) => `a${i}="1"`).join(' ');
  return `data=<notification ${attrs}></notification>`.slice(0, 5 * 1024 * 1024 - 20) + '"></notification>';
}

// Row 3, run in its own process as it would come from the internet: 200 connections each announcing and sending a
// 4.5 MB body, closing once it is written.
const FLOOD = `
const { connect } = require('node:net');
const port = Number(process.argv[1]);
const chunk = Buffer.alloc(4.5 * 1024 * 1024, 0x61);
Promise.all(Array.from({ length: 200 }, () => new Promise((resolve) => {
  const socket = connect(port, '127.0.0.1', () => {
    socket.write('POST /big HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/octet-stream\\r\\nContent-Length: ' + chunk.length + '\\r\\n\\r\\n');
    socket.write(chunk, () => socket.destroy());
  });
  socket.on('error', () => undefined);
  socket.on('close', resolve);
}))).then(() => process.exit(0));
`;

export function runFlood(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', FLOOD, String(port)], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`flood exited with ${code}`))));
  });
}

// A bare node:http server in its own process: the baseline for what the machine itself does under a flood.
const BARE = `
require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); req.on('error', () => undefined); })
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

export async function startBareServer(): Promise<{ port: number; kill(): void }> {
  const child = spawn(process.execPath, ['-e', BARE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return { port, kill: () => child.kill('SIGKILL') };
}

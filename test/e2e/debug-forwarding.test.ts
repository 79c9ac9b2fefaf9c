// Issue 16, item 5: forwarding while debugging, as the Stripe extension does it. A launch configuration with
// `kalturaWebhooksForwardTo` sends every delivery to the app while its debug session runs (real js-debug, a real Node
// program), and stops when the session ends. The app is an HTTP server in this process that records what it gets.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { buildKalturaSample, type SampleRequest } from '../../src/core/providers/samples';
import { OUTPUT_LOG, startReceiver, waitForEvent } from './support/kalturaUi';
import { e2eSkip } from './support/prerequisites';
import { withWorkbench } from './support/workbench';

const SESSION = 'App (forward Kaltura webhooks)';

async function send(receiverUrl: string, sample: SampleRequest): Promise<void> {
  const headers = Object.fromEntries(Object.entries(sample.headers).filter(([k]) => k.toLowerCase() !== 'host'));
  const res = await fetch(`${receiverUrl}${sample.path}`, { method: sample.method, headers, body: new Uint8Array(sample.body) });
  assert.equal(res.status, 200);
  await res.text();
}

test('a debug session with kalturaWebhooksForwardTo forwards every delivery to the app until it ends', { timeout: 180_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);
  const received: Array<{ path: string; body: Buffer; signature: string | undefined }> = [];
  const app: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks), signature: req.headers['x-kaltura-signature'] as string | undefined });
      res.writeHead(202).end('accepted');
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/webhooks/kaltura`;
  try {
    const launch = {
      version: '0.2.0',
      configurations: [{ type: 'node', request: 'launch', name: SESSION, program: '${workspaceFolder}/app.js', kalturaWebhooksForwardTo: appUrl }],
    };
    const workspaceFiles = { '.vscode/launch.json': JSON.stringify(launch, null, 2), 'app.js': 'setInterval(() => {}, 1000);\n' };
    await withWorkbench({ suite: 'debug-forwarding', workspaceFiles }, async (wb) => {
      const receiverUrl = await startReceiver(wb);

      await wb.runCommand('Debug: Start Debugging');
      await wb.waitForLog(new RegExp(`debug session "${SESSION.replace(/[()]/g, '\\$&')}": forwarding every delivery to ${appUrl.replace(/[.]/g, '\\.')} until it ends`), {
        pathPattern: OUTPUT_LOG,
        timeout: 60_000,
      });
      // Signed with a secret the workbench does not know: forwarding passes the bytes and headers on whatever the check says.
      const first = buildKalturaSample({ entryId: '0_debugged', path: '/kaltura/debug', secret: 'the-app-verifies-this-secret' });
      assert.ok(first.headers['X-KALTURA-SIGNATURE'], 'the sample is signed');
      await send(receiverUrl, first);
      const deadline = Date.now() + 20_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(received.length, 1, 'the app got the delivery while the session ran');
      assert.ok(received[0]!.body.equals(first.body), 'the exact bytes');
      assert.equal(received[0]!.signature, first.headers['X-KALTURA-SIGNATURE'], 'the original signature header');
      await waitForEvent(wb, /0_debugged/);
      await wb.waitForLog(/auto-forwarded \S+ to \S+: HTTP 202/, { pathPattern: OUTPUT_LOG, timeout: 20_000 });
      await wb.shot('forwarding-while-debugging');

      await wb.runCommand('Debug: Stop');
      await wb.waitForLog(/ended: forwarding to \S+ stopped/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });
      await send(receiverUrl, buildKalturaSample({ entryId: '0_afterend', path: '/kaltura/debug' }));
      await waitForEvent(wb, /0_afterend/);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(received.length, 1, 'nothing is forwarded once the session has ended');
      await wb.shot('session-ended-no-forwarding');
    });
  } finally {
    await new Promise<void>((resolve) => app.close(() => resolve()));
  }
});

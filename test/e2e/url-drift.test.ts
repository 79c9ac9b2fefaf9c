// Issue #4: when the tunnel comes back with a different public URL, registered templates follow it.
// A live account (a sandbox this test starts) with the localtunnel provider pointed at a fake localtunnel server
// (also started here): register a webhook, deliver one event through the tunnel, then make the server drop the
// tunnel and hand out a NEW id on reconnect. The output log must show the URL change and the re-point, the
// template on the sandbox must now point at the new URL, and a second event must arrive through the new tunnel.
//
// The fake server's public URLs are http://<id>.localhost:<port>. Real localtunnel hosts have wildcard DNS; here
// `*.localhost` does not resolve, so localhostDns.cjs (preloaded into code-server and required by this process,
// where the sandbox sends from) maps those names to 127.0.0.1. Without it the tunnel's self-probe fails and the
// tunnel manager reconnects on its own every few seconds, which would make the drift random instead of forced.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { createKalturaConnection } from '../../src/core/kaltura/connection';
import { startSandbox } from '../../src/sandbox';
import { FakeLocaltunnelServer } from '../support/fakeLocaltunnelServer';
import { cmd, CATEGORY, OUTPUT_LOG, startReceiver, waitForEvent } from './support/kalturaUi';
import { connectLiveAccount } from './support/liveAccount';
import { e2eSkip } from './support/prerequisites';
import { withWorkbench } from './support/workbench';

const DNS_HOOK = join(__dirname, 'support', 'localhostDns.cjs');

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('url drift: a new tunnel URL re-points the registered template', { timeout: 90_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);
  createRequire(__filename)(DNS_HOOK);

  const adminSecret = randomBytes(16).toString('hex');
  const partnerId = 4_000_000 + Math.floor(Math.random() * 900_000);
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, partnerId, adminSecret, retryIntervalMs: 500 });
  const kaltura = createKalturaConnection({ serviceUrl: sandbox.url, session: { kind: 'localAdminSecret', partnerId, adminSecret } });
  const tunnelServer = await FakeLocaltunnelServer.start({ gracePeriodMs: 1000 });
  const inheritedNodeOptions = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : '';
  try {
    await withWorkbench({
      suite: 'url-drift',
      settings: {
        'kalturaWebhooks.tunnel.provider': 'localtunnel',
        'kalturaWebhooks.tunnel.host': tunnelServer.controlUrl,
      },
      env: { NODE_OPTIONS: `${inheritedNodeOptions}--require ${DNS_HOOK}` },
    }, async (wb) => {
      await wb.openViewContainer(CATEGORY);
      await connectLiveAccount(wb, { partnerId, serviceUrl: sandbox.url, adminSecret });
      await startReceiver(wb);
      const up = await wb.waitForLog(/public URL: (http:\/\/([a-z0-9-]+)\.localhost:\d+)/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });
      const [, firstUrl, firstId] = up as unknown as [string, string, string];
      assert.deepEqual(tunnelServer.clientIds(), [firstId], 'the extension opened one tunnel on the fake server');
      await wb.expandView('Connection');
      await wb.waitForTreeItem('Connection', new RegExp(`Webhook URL.*${escapeRe(firstUrl)}`));
      await wb.shot('tunnel-up-first-url');

      // Register: the template points at the tunnel's public URL.
      await wb.viewTitleAction('Templates', 'Register Webhook…');
      await wb.pick('Entry Status Changed');
      const registered = await wb.waitForLog(/registered template (\d+) \((.*)\) → (\S+)/, { pathPattern: OUTPUT_LOG, timeout: 60_000 });
      const templateId = Number(registered[1]);
      assert.ok(registered[3]!.startsWith(`${firstUrl}/`), `registered at the tunnel URL: ${registered[3]}`);
      const before = await kaltura.templates.get(templateId);
      assert.ok(before.url?.startsWith(`${firstUrl}/`), `sandbox template url before the drift: ${before.url}`);
      await wb.clearNotifications();

      // One event through the first tunnel: proves the URL under test is really the delivery path.
      const deliveredBefore = tunnelServer.deliveredCount;
      await wb.contextMenu(await wb.waitForTreeItem('Templates', /active/), 'Dispatch Template…');
      await waitForEvent(wb, /verified/, 30_000);
      assert.ok(tunnelServer.deliveredCount > deliveredBefore, 'the notification went through the fake tunnel');
      await wb.shot('registered-and-delivered-through-first-tunnel');

      // Drift: the server forgets the tunnel and treats the old id as taken, so the reconnect gets a new id.
      const tDrift = Date.now();
      tunnelServer.takenIds.add(firstId);
      tunnelServer.dropClient(firstId);
      const changed = await wb.waitForLog(
        new RegExp(`tunnel URL changed from ${escapeRe(firstUrl)} to (http://([a-z0-9-]+)\\.localhost:\\d+); re-pointing registered templates`),
        { pathPattern: OUTPUT_LOG, timeout: 30_000 },
      );
      const [, secondUrl, secondId] = changed as unknown as [string, string, string];
      assert.notEqual(secondId, firstId);
      assert.ok(tunnelServer.hasClient(secondId), 'the fake server holds the new tunnel');
      await wb.waitForLog(new RegExp(`repointed template ${templateId}\\b`), { pathPattern: OUTPUT_LOG, timeout: 30_000 });
      const repointMs = Date.now() - tDrift;
      const after = await kaltura.templates.get(templateId);
      assert.ok(after.url?.startsWith(`${secondUrl}/`), `sandbox template url after the drift: ${after.url} (new tunnel ${secondUrl})`);
      assert.equal(after.url, before.url!.replace(firstUrl, secondUrl), 'only the base changed, the path is kept');
      await wb.expandView('Connection');
      await wb.waitForTreeItem('Connection', new RegExp(`Webhook URL.*${escapeRe(secondUrl)}`), 15_000);
      await wb.shot('connection-view-shows-new-url');
      await wb.clearNotifications();
      await wb.runCommand(cmd('Show Log'));
      await wb.page.locator('.part.panel .view-lines', { hasText: `repointed template ${templateId}` }).waitFor({ timeout: 20_000 });
      await wb.shot('log-url-changed-and-repointed');

      // A second event arrives through the new tunnel.
      const deliveredMid = tunnelServer.deliveredCount;
      await wb.openViewContainer(CATEGORY);
      await wb.contextMenu(await wb.waitForTreeItem('Templates', /active/), 'Dispatch Template…');
      const attempts = await waitForDelivery(sandbox, templateId, 2, 30_000);
      const last = attempts[attempts.length - 1]!;
      assert.ok(last.ok && last.url.startsWith(`${secondUrl}/`), `second delivery went to the new URL: ${JSON.stringify(last)}`);
      assert.ok(tunnelServer.deliveredCount > deliveredMid, 'the second notification went through the new tunnel');
      await wb.shot('second-event-through-new-tunnel');

      const probeFailures = (wb.readLogs(OUTPUT_LOG).match(/tunnel self-probe failed/g) ?? []).length;
      console.log(`url-drift numbers: ${JSON.stringify({ firstUrl, secondUrl, dropToRepointMs: repointMs, templateUrlAfter: after.url, probeFailures })}`);
    });
  } finally {
    await tunnelServer.close();
    await sandbox.close();
  }
});

async function waitForDelivery(sandbox: Awaited<ReturnType<typeof startSandbox>>, templateId: number, okCount: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const attempts = sandbox.deliveries().filter((d) => d.templateId === templateId);
    if (attempts.filter((d) => d.ok).length >= okCount) return attempts;
    if (Date.now() > deadline) throw new Error(`fewer than ${okCount} successful deliveries of template ${templateId}: ${JSON.stringify(attempts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

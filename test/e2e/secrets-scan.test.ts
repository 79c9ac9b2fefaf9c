// Hardening: after a live-account session driven through the UI (connect with an admin secret, start,
// register, dispatch, verify, export, copy as curl, stop), no file written during the run (code-server's
// logs and output channels, settings.json, global/workspace storage with the event log, exported events,
// anything in the workspace) and no clipboard export contains the configured secret in any encoding.
// The "live" Kaltura is a sandbox this test starts itself, so the secret is known and unique to the run.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSandbox } from '../../src/sandbox';
import { cmd, CATEGORY, OUTPUT_LOG, openInInspector, startReceiver, waitForEvent } from './support/kalturaUi';
import { freePort } from './support/liveAccount';
import { e2eSkip } from './support/prerequisites';
import { scanForSecrets } from './support/secretScan';
import { listFiles, log, withWorkbench } from './support/workbench';

test('secrets scan: nothing written during an e2e session contains the admin secret', { timeout: 300_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  // The scanner must be able to fail: it finds a planted secret in every encoding it checks.
  const control = mkdtempSync(join(tmpdir(), 'kwh-scan-control-'));
  try {
    writeFileSync(join(control, 'leak.txt'), `x=${Buffer.from('planted-secret-123').toString('base64')}`);
    assert.deepEqual(scanForSecrets([control], { planted: 'planted-secret-123' }).hits.map((h) => h.encoding), ['base64']);
  } finally {
    rmSync(control, { recursive: true, force: true });
  }

  const adminSecret = randomBytes(16).toString('hex');
  const partnerId = 4_000_000 + Math.floor(Math.random() * 900_000);
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, partnerId, adminSecret, retryIntervalMs: 500 });
  const receiverPort = await freePort();
  const receiverUrl = `http://127.0.0.1:${receiverPort}`;
  let clipboardCurl = '';
  try {
    await withWorkbench({
      suite: 'secrets',
      settings: {
        // The "live" account is the test's sandbox on loopback, so the external URL is the receiver itself.
        'kalturaWebhooks.port': receiverPort,
        'kalturaWebhooks.tunnel.provider': 'external',
        'kalturaWebhooks.tunnel.publicUrl': receiverUrl,
      },
    }, async (wb) => {
      await wb.openViewContainer(CATEGORY);

      // Connect the account through the UI; the secret goes into a password box.
      await wb.runCommand(cmd('Connect Kaltura Account…'));
      await wb.pick(/Live account with the admin secret/);
      await wb.typeInput(String(partnerId), /partner id/i);
      await wb.typeInput(sandbox.url, /service URL/i);
      await wb.quickInput.getByText(/Admin secret of partner/).waitFor({ state: 'visible' });
      const secretBox = wb.quickInput.locator('input.input');
      assert.equal(await secretBox.getAttribute('type'), 'password', 'the admin secret is typed into a password box');
      await secretBox.fill(adminSecret);
      await wb.shot('admin-secret-masked');
      await secretBox.press('Enter');
      await wb.waitForLog(new RegExp(`connected live account: partner ${partnerId}\\b`), { pathPattern: OUTPUT_LOG, timeout: 20_000 });

      const url = await startReceiver(wb);
      assert.equal(url, receiverUrl);
      await wb.shot('live-account-running');

      await wb.viewTitleAction('Templates', 'Register Webhook…');
      await wb.pick('Entry Status Changed');
      await wb.waitForLog(/registered template \d+/, { pathPattern: OUTPUT_LOG, timeout: 60_000 });
      await wb.clearNotifications();
      await wb.contextMenu(await wb.waitForTreeItem('Templates', /active/), 'Dispatch Template…');
      const row = await waitForEvent(wb, /verified/, 30_000);
      await wb.shot('verified-with-live-secret');

      // Exports through the UI: inspector "Copy as curl" and "Export Events…" as JSON and .http.
      const frame = await openInInspector(wb, row);
      await frame.locator('button[data-action="copyCurl"]').click();
      await frame.locator('#action-result').filter({ hasText: /./ }).waitFor({ timeout: 15_000 });
      clipboardCurl = await wb.readClipboard().catch(() => '');

      // Generated code: once from the inspector, once from the event's context menu. Each handler opens in the current
      // editor group (issue 15, item 8): no new group per stub squeezing the inspector.
      const groups = () => wb.page.locator('.part.editor .editor-group-container').count();
      const groupsBefore = await groups();
      await frame.locator('button[data-action="generateHandler"]').click();
      await wb.pick('TypeScript · express');
      await wb.typeInput('kaltura-webhook-handler-typescript-express', /Folder in .* for the generated project/);
      await wb.waitForLog(/generated a TypeScript · express handler in/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });
      await wb.page.locator('.part.editor .tab.active', { hasText: /webhookHandler/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
      await wb.shot('typescript-handler-opened', { readme: 'generated-handler' });
      await wb.contextMenu(await waitForEvent(wb, /verified/), 'Generate Handler Stub…');
      await wb.pick('PHP · plain');
      await wb.typeInput('kaltura-webhook-handler-php-plain', /Folder in .* for the generated project/);
      await wb.waitForLog(/generated a PHP · plain handler in/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });
      await wb.page.locator('.part.editor .tab.active', { hasText: /webhook_handler\.php/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
      assert.equal(await groups(), groupsBefore, 'two generated handlers opened no new editor group');
      await wb.shot('handlers-generated');
      for (const [format, logged] of [['JSON', 'json'], ['.http file', 'http']] as const) {
        await wb.runCommand(cmd('Export Events…'));
        await wb.pick(format);
        // code-server's save dialog is a quick input prefilled with a path in the workspace: accept it.
        await wb.quickInput.locator('input.input').waitFor({ state: 'visible' });
        await wb.page.waitForTimeout(300);
        await wb.page.keyboard.press('Enter');
        await wb.waitForLog(new RegExp(`exported \\d+ event\\(s\\) as ${logged} to`), { pathPattern: OUTPUT_LOG, timeout: 20_000 });
        await wb.clearNotifications();
      }
      await wb.shot('exported');

      await wb.runCommand(cmd('Stop Receiver'));
      await wb.waitForLog(/\bstopped\b/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });

      // What the session wrote, scanned while the folders still exist.
      const written = listFiles(wb.dirs.root).filter((f) => !f.startsWith(wb.dirs.browserProfile) && !f.startsWith(wb.dirs.extensions));
      const exports = listFiles(wb.dirs.workspace);
      log(`session wrote ${written.length} files; workspace: ${exports.map((f) => f.slice(wb.dirs.workspace.length)).join(', ')}`);
      assert.ok(exports.some((f) => f.endsWith('.json')), 'the JSON export is in the workspace');
      assert.ok(exports.some((f) => f.endsWith('.http')), 'the .http export is in the workspace');
      assert.ok(exports.some((f) => f.includes('kaltura-webhook-handler-typescript-express')), 'the TypeScript handler is in the workspace');
      assert.ok(exports.some((f) => f.includes('kaltura-webhook-handler-php-plain')), 'the PHP handler is in the workspace');
      assert.ok(written.some((f) => /workspaceStorage.*events/.test(f)), 'the persisted event log was written');
      assert.ok(existsSync(join(wb.dirs.userData, 'User', 'settings.json')), 'settings.json was written');
      assert.ok(written.some((f) => OUTPUT_LOG.test(f)), 'the output channel log was written');
      assert.match(wb.readLogs(OUTPUT_LOG), /connected live account/, 'the log covers the session');

      const roots = [wb.dirs.userData, wb.dirs.workspace, join(wb.dirs.root, 'code-server.log')];
      const { hits, filesScanned } = scanForSecrets(roots, { adminSecret });
      log(`scanned ${filesScanned} files for the admin secret`);
      assert.deepEqual(hits, [], `the admin secret leaked into: ${hits.map((h) => `${h.file} (${h.encoding})`).join(', ')}`);

      // For the record (not a failure): code-server keeps SecretStorage in the browser, encrypted.
      const inBrowser = scanForSecrets([wb.dirs.browserProfile], { adminSecret }).hits.length;
      log(`browser profile files holding the secret in clear: ${inBrowser}`);
    });
    assert.ok(clipboardCurl.includes('curl'), `"Copy as curl" put a curl command on the clipboard: ${clipboardCurl.slice(0, 80)}`);
    assert.ok(!clipboardCurl.includes(adminSecret), 'the curl command does not contain the admin secret');
  } finally {
    await sandbox.close();
  }
});

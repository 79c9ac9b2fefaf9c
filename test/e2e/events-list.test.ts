// Issue #16 item 3: the flat, newest-first list and the filter box's keys. Four deliveries that differ in what the
// list shows and the filter reads (path, a header, the signature, the app's answer and how long it took) are POSTed
// to the receiver; auto-forward sends each to an app in this process that answers 502 slowly for one path. The test
// toggles the Events view to the list in its title bar, checks the order and the row text, filters with
// `app:5xx`, `duration:>300`, `path:`, `header:` and `is:failed`, names a bad key, and toggles back to groups.
// The inspector shows the slow delivery beside the app's 502 (item 1). Then (item 2) Edit and Replay: the document is edited and sent re-signed, with the old signature, and with a mistake.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import { request } from 'undici';
import { buildSampleRequest } from '../../src/core/providers/samples';
import { startSandbox } from '../../src/sandbox';
import { cmd, CATEGORY, openInInspector, startReceiver } from './support/kalturaUi';
import { connectLiveAccount } from './support/liveAccount';
import { e2eSkip } from './support/prerequisites';
import { log, withWorkbench, type Workbench } from './support/workbench';

const SLOW_MS = 400;

function startApp(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      // The slow, failing path stands for a handler that times out on a dependency.
      if (req.url?.startsWith('/webhooks/slow')) setTimeout(() => res.writeHead(502).end('upstream down'), SLOW_MS);
      else res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  }));
}

async function rows(wb: Workbench): Promise<string[]> {
  return (await wb.treeItems('Events').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

async function waitForRows(wb: Workbench, what: string, accept: (rows: string[]) => boolean, timeout = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeout;
  let seen: string[] = [];
  for (;;) {
    seen = await rows(wb).catch(() => seen);
    if (accept(seen)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens Filter Events…, accepts the sources and verification step as it is, and resolves with the text box. */
async function openFilterBox(wb: Workbench) {
  await wb.viewTitleAction('Events', 'Filter Events…');
  await wb.quickInput.getByText('Filter events: sources and verification').waitFor({ state: 'visible', timeout: 15_000 });
  await wb.quickInput.locator('input.input').press('Enter');
  await wb.quickInput.getByText('Filter events: text').waitFor({ state: 'visible', timeout: 10_000 });
  return wb.quickInput.locator('input.input');
}

/**
 * Opens the filter box, types the text and runs `then` on it. The box closes when focus leaves it, as VS Code's
 * input boxes do: a webview that takes focus as it settles (the inspector, just before) can close it at any point
 * (the input is then inert), so the whole step is tried again, up to three times.
 */
async function inFilterBox(wb: Workbench, text: string, then: (box: Locator) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const box = await openFilterBox(wb);
      await box.fill(text, { timeout: 5000 });
      await then(box);
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await wb.closeQuickInput();
    }
  }
}

async function filter(wb: Workbench, query: string): Promise<void> {
  await inFilterBox(wb, query, (box) => box.press('Enter', { timeout: 5000 }));
}

test('events list: newest first, the app\'s answer and time on each row, filters by key; edit and replay, re-signed', { timeout: 240_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  const adminSecret = randomBytes(16).toString('hex');
  const partnerId = 4_000_000 + Math.floor(Math.random() * 900_000);
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, partnerId, adminSecret });
  const app = await startApp();
  const sign = (entryId: string, secret = adminSecret) =>
    buildSampleRequest('kaltura', { secret, partnerId, templateId: 93001, templateName: 'List check', entryId, jobId: 600_000_000 + Math.floor(Math.random() * 1e6) });
  // Oldest first; each path is where the receiver got it (auto-forward keeps the path on the app's URL).
  const deliveries = [
    { name: '0_listone1', path: '/webhooks/kaltura', headers: {} as Record<string, string>, secret: adminSecret },
    { name: '0_listslow', path: '/webhooks/slow', headers: {}, secret: adminSecret },
    { name: '0_listhead', path: '/webhooks/kaltura', headers: { 'X-Test-Run': 'nightly-7' }, secret: adminSecret },
    { name: '0_listfake', path: '/webhooks/kaltura', headers: {}, secret: randomBytes(16).toString('hex') },
  ];
  try {
    await withWorkbench({
      suite: 'events-list',
      settings: {
        'kalturaWebhooks.tunnel.provider': 'none',
        'kalturaWebhooks.forwardUrl': app.url,
        'kalturaWebhooks.forward.auto': true,
      },
    }, async (wb) => {
      await wb.openViewContainer(CATEGORY);
      await connectLiveAccount(wb, { partnerId, serviceUrl: sandbox.url, adminSecret });
      const receiverUrl = await startReceiver(wb);
      await wb.expandView('Events');
      for (const d of deliveries) {
        const sample = sign(d.name, d.secret);
        const res = await request(`${receiverUrl}${d.path}`, { method: 'POST', headers: { ...sample.headers, ...d.headers }, body: sample.body });
        await res.body.text();
        assert.equal(res.statusCode, 200, `${d.name} stored`);
        await new Promise((r) => setTimeout(r, 1100)); // distinct seconds on the rows
      }
      // The forwards finish on their own; the slow one last.
      await wb.waitForTreeItem('Events', /List check/, 15_000);

      await wb.viewTitleAction('Events', 'View Events as List (Newest First)');
      const listed = await waitForRows(wb, 'four rows with the app answers', (r) =>
        r.length === 4 && r.every((row) => /app (204|502|✕)/.test(row)) && r.some((row) => /app 502 \d+ ms/.test(row)));
      log(`list: ${JSON.stringify(listed)}`);
      assert.deepEqual(listed.map((r) => /0_list\w+/.exec(r)?.[0]), ['0_listfake', '0_listhead', '0_listslow', '0_listone1'], 'newest first');
      for (const row of listed) assert.match(row, /^\d{1,2}:\d{2}:\d{2} [AP]M 0_list\w+/, `a row starts with its time: ${row}`);
      assert.match(listed[0]!, /failed · 200 · app 204 \d+ ms · List check/);
      const slow = listed.find((r) => r.includes('0_listslow'))!;
      assert.match(slow, /verified · 200 · app 502 (\d+) ms · List check/);
      assert.ok(Number(/app 502 (\d+) ms/.exec(slow)![1]) >= SLOW_MS, `the app's time is on the row: ${slow}`);
      await wb.shot('events-as-list', { readme: 'events-list' });

      // Item 1: the inspector pairs the request as forwarded with the app's answer: status, time, headers, body.
      const frame = await openInInspector(wb, await wb.waitForTreeItem('Events', /0_listslow/));
      const answered = frame.locator('#exchange-response');
      await answered.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match((await frame.locator('#exchange-status').textContent()) ?? '', /^HTTP 502 in \d+(\.\d+)? ms$/);
      assert.equal(await frame.locator('#exchange-response-body').textContent(), 'upstream down');
      assert.match((await frame.locator('#exchange-request').textContent()) ?? '', /POST \/webhooks\/slow HTTP\/1\.1[\s\S]*X-KALTURA-SIGNATURE/i);
      const [left, right] = await Promise.all([frame.locator('#exchange-request').boundingBox(), answered.boundingBox()]);
      assert.ok(left && right && right.x > left.x + left.width - 1 && Math.abs(right.y - left.y) < 2, `side by side: ${JSON.stringify({ left, right })}`);
      await frame.locator('#exchange-section').scrollIntoViewIfNeeded();
      await wb.shot('inspector-request-and-app-answer', { readme: 'inspector-app-answer' });

      const expectOnly = async (query: string, names: string[]) => {
        await filter(wb, query);
        const shown = await waitForRows(wb, `"${query}" to leave ${names.join(', ')}`, (r) =>
          JSON.stringify(r.map((row) => /0_list\w+/.exec(row)?.[0])) === JSON.stringify(names));
        await wb.viewPane('Events').getByText(new RegExp(`${names.length} of 4 events shown`)).first().waitFor({ state: 'visible', timeout: 5000 });
        return shown;
      };
      await expectOnly('app:5xx', ['0_listslow']);
      await expectOnly(`duration:>${SLOW_MS - 50}`, ['0_listslow']);
      await expectOnly('path:/webhooks/kaltura -is:failed', ['0_listhead', '0_listone1']);
      await expectOnly('header:x-test-run=nightly', ['0_listhead']);
      await expectOnly('is:failed', ['0_listfake']);
      await wb.shot('list-filtered-by-key');

      // A key the filter does not know is named in the box, and Enter does not apply it.
      await inFilterBox(wb, 'colour:red', async (box) => {
        await wb.quickInput.getByText(/unknown key "colour:"/).first().waitFor({ state: 'visible', timeout: 10_000 });
        await box.press('Enter', { timeout: 5000 });
        await wb.quickInput.getByText('Filter events: text').waitFor({ state: 'visible', timeout: 5000 }); // still open: not applied
        await box.inputValue({ timeout: 1000 }).then((v) => assert.equal(v, 'colour:red', 'the unknown key stays in the box'));
      });
      await wb.closeQuickInput();
      await waitForRows(wb, 'the is:failed filter still applied', (r) => r.length === 1 && r[0]!.includes('0_listfake'));

      await wb.viewTitleAction('Events', 'Clear Event Filter');
      await waitForRows(wb, 'all four rows again', (r) => r.length === 4);
      await wb.viewTitleAction('Events', 'View Events by Template');
      await waitForRows(wb, 'the grouped tree', (r) => r.some((row) => /^Kaltura HTTP notifications\s*4$/.test(row)) && r.some((row) => /^List check\s*#93001 · 4$/.test(row)));

      // Edit and Replay: the first delivery opens as a document, its entry name is changed, and Send Request signs
      // the new body with the account's secret: the copy verifies and is marked an edited replay of the original.
      await wb.contextMenu(await wb.waitForTreeItem('Events', /0_listone1/), 'Edit and Replay…');
      let text = '';
      const deadline = Date.now() + 20_000;
      while (!text.includes('"replayOf"') && Date.now() < deadline) text = await wb.activeEditorText().catch(() => '');
      const doc = JSON.parse(text) as { body: { object: Record<string, unknown> }; signature: string; sendTo: string; bodyFormat: string; headers: Record<string, string> };
      assert.equal(doc.signature, 'resign');
      assert.equal(doc.sendTo, 'receiver');
      assert.equal(doc.bodyFormat, 'json');
      assert.match(String(doc.body.object['id']), /0_listone1/);
      doc.body.object['name'] = 'Edited in the workbench';
      await wb.replaceActiveEditorText(JSON.stringify(doc, null, 2));
      await wb.clearNotifications();
      await wb.page.keyboard.press('Control+Home');
      await wb.shot('edit-and-replay-document', { readme: 'edit-and-replay' });
      await wb.runCommand(cmd('Send Request'));
      await wb.waitForNotification(/Sent to the receiver: HTTP 200/);
      await wb.waitForTreeItem('Events', /0_listone1.*verified · 200 · edited replay/, 15_000);

      // The original signature over the edited body fails, as it would in the app.
      await wb.replaceActiveEditorText(JSON.stringify({ ...doc, signature: 'keep' }, null, 2));
      await wb.runCommand(cmd('Send Request'));
      await wb.waitForTreeItem('Events', /0_listone1.*failed · 200 · edited replay/, 15_000);
      // A mistake in the document is named, and nothing is sent.
      await wb.replaceActiveEditorText(JSON.stringify({ ...doc, method: 'post' }, null, 2));
      await wb.runCommand(cmd('Send Request'));
      await wb.waitForNotification(/The request document has problems: method: an HTTP method in capitals/);
      assert.equal((await rows(wb)).filter((r) => r.includes('edited replay')).length, 2, 'the bad document sent nothing');

      // Item 4, a custom sample: pre-filled, edited (another entry id), signed like Kaltura, and remembered.
      // The editors so far are closed first: the sample would open beside them, and reading the active editor
      // while it appears can click the old one back into focus.
      await wb.runCommand('View: Revert and Close Editor');
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      await wb.runCommand(cmd('Trigger Custom Sample Event…'));
      await wb.pick(/Entry Status Changed \(JSON, sha256\)/);
      let sample = '';
      const sampleDeadline = Date.now() + 20_000;
      // The edit-and-replay document is still open behind it: the sample's has no replayOf and the sample's path.
      while (!(sample.includes('"/kaltura/sample"') && !sample.includes('"replayOf"')) && Date.now() < sampleDeadline) {
        sample = await wb.activeEditorText().catch(() => '');
      }
      const custom = JSON.parse(sample) as { body: { object: Record<string, unknown> }; signature: string; headers: Record<string, string> };
      assert.equal(custom.signature, 'resign');
      assert.equal(custom.headers['X-KALTURA-HASH-ALGO'] ?? custom.headers['x-kaltura-hash-algo'], 'sha256');
      custom.body.object['id'] = '0_custom42';
      await wb.replaceActiveEditorText(JSON.stringify(custom, null, 2));
      await wb.clearNotifications();
      await wb.page.keyboard.press('Control+Home');
      await wb.shot('custom-sample-document', { readme: 'custom-sample' });
      await wb.runCommand(cmd('Send Request'));
      await wb.waitForTreeItem('Events', /0_custom42.*verified · 200/, 15_000);
      // Closed without saving, so what opens next comes from what was remembered, not from the open editor.
      await wb.runCommand('View: Revert and Close Editor');
      await wb.runCommand(cmd('Trigger Custom Sample Event…'));
      await wb.pick(/Entry Status Changed \(JSON, sha256\)/);
      let again = '';
      const againDeadline = Date.now() + 20_000;
      while (!again.includes('0_custom42') && Date.now() < againDeadline) again = await wb.activeEditorText().catch(() => '');
      assert.ok(again.includes('"0_custom42"'), 'the last sent edit of the kind is offered again');
    });
  } finally {
    app.server.close();
    await sandbox.close();
  }
});

// Issue 15, as a user sees it (items 1, 2, 5, 7 and 14; 13 is in high-contrast.test.ts): one session where
// - two partners' notifications with the same job id are two events, and only a real re-send is a duplicate (1);
// - a double-click on a system template registers nothing, and two Register clicks make one clone (2);
// - each auto-forward's answer is on the event, and a forward that starts failing is said once (5);
// - a forged request stands out: a failure count in the status bar and one notification (7);
// - event rows start with the entry and its status, and the newest group is on top (14).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { buildKalturaSample, type SampleRequest } from '../../src/core/providers/samples';
import { CATEGORY, OUTPUT_LOG, startReceiver, waitForEvent } from './support/kalturaUi';
import { e2eSkip } from './support/prerequisites';
import { log, withWorkbench, type Workbench } from './support/workbench';

async function send(receiverUrl: string, sample: SampleRequest): Promise<number> {
  const headers = Object.fromEntries(Object.entries(sample.headers).filter(([k]) => k.toLowerCase() !== 'host'));
  const res = await fetch(`${receiverUrl}${sample.path}`, { method: sample.method, headers, body: sample.body.length ? new Uint8Array(sample.body) : undefined });
  await res.text();
  return res.status;
}

function countLog(wb: Workbench, pattern: RegExp): number {
  return [...wb.readLogs(OUTPUT_LOG).matchAll(new RegExp(pattern.source, 'gm'))].length;
}

test('trust, as a user sees it: partners, double-clicks, forwards, forgeries and the tree order', { timeout: 180_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);
  // The user's app: answers 201 until it is stopped.
  const app: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(201).end('created'));
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/webhooks/kaltura`;
  try {
    const settings = { 'kalturaWebhooks.forwardUrl': appUrl, 'kalturaWebhooks.forward.auto': true };
    await withWorkbench({ suite: 'trust-screens', settings }, async (wb) => {
      const receiverUrl = await startReceiver(wb);
      await wb.openViewContainer(CATEGORY);

      // Item 2: a double-click on a system template only selects it; Register twice in a row makes one clone.
      await wb.expandView('Templates');
      const systemNode = await wb.waitForTreeItem('Templates', /System templates/);
      await systemNode.click();
      // The system row, not the clone that appears above it once registered ("Entry Deleted (Webhook Workbench)").
      const deleted = await wb.waitForTreeItem('Templates', /^\s*Entry Deleted\s*system\b/);
      await deleted.dblclick();
      await wb.page.waitForTimeout(2500);
      assert.equal(countLog(wb, /registered template \d+/), 0, 'a double-click registers nothing');
      await wb.inlineAction(deleted, 'Register Webhook');
      await wb.inlineAction(deleted, 'Register Webhook');
      await wb.waitForLog(/registered template \d+ \(Entry Deleted/, { pathPattern: OUTPUT_LOG, timeout: 60_000 });
      await wb.page.waitForTimeout(2500);
      assert.equal(countLog(wb, /registered template \d+ \(Entry Deleted/), 1, 'two clicks, one clone');
      // Once it is registered, asking again says so instead of cloning.
      await wb.clearNotifications();
      await wb.inlineAction(await wb.waitForTreeItem('Templates', /^\s*Entry Deleted\s*system\b/), 'Register Webhook');
      await wb.waitForNotification(/is already registered and active; no second clone was made/, 20_000);
      assert.equal(countLog(wb, /registered template \d+ \(Entry Deleted/), 1, 'three clicks, one clone');
      // A click that lands while the tree re-renders after the first registration can reach the command without its
      // row (seen in VS Code 1.139, not 1.100): the command then asks which template. Nothing is registered by it.
      if (await wb.quickInput.isVisible()) {
        log(`a Register click arrived without its row; the picker it opened is closed: ${(await wb.quickInput.innerText()).split('\n')[0]}`);
        await wb.closeQuickInput();
      }
      await wb.shot('item-2-one-clone-for-two-clicks');

      // Item 1: the same job id from two partners is two events; a real re-send of one of them is its duplicate.
      const common = { templateId: 555001, templateName: 'Cross-partner check', jobId: 424242 };
      const fromA = buildKalturaSample({ ...common, partnerId: 111111, entryId: '0_partnera', path: '/kaltura/cross' });
      const fromB = buildKalturaSample({ ...common, partnerId: 222222, entryId: '0_partnerb', path: '/kaltura/cross' });
      assert.equal(await send(receiverUrl, fromA), 200);
      assert.equal(await send(receiverUrl, fromB), 200);
      const rowA = await waitForEvent(wb, /0_partnera/);
      const rowB = await waitForEvent(wb, /0_partnerb/);
      assert.doesNotMatch(await rowA.innerText(), /duplicate/);
      assert.doesNotMatch(await rowB.innerText(), /duplicate/, "another partner's job with the same id is not a duplicate");
      assert.equal(await send(receiverUrl, fromA), 200);
      await waitForEvent(wb, /0_partnera.*duplicate/);
      await wb.shot('item-1-partners-are-not-duplicates');

      // Item 5: every auto-forward's answer is on its row ("app 201"); when the app goes away, the row says so and
      // one notification says forwarding is failing.
      await waitForEvent(wb, /0_partnerb.*app 201/);
      await wb.shot('item-5-forward-answer-on-the-event');
      const closed = new Promise<void>((resolve) => app.close(() => resolve()));
      app.closeAllConnections(); // kept-alive sockets from the forwarder would hold close() open
      await closed;
      await wb.clearNotifications();
      assert.equal(await send(receiverUrl, buildKalturaSample({ templateId: 555001, templateName: 'Cross-partner check', entryId: '0_appisdown', path: '/kaltura/cross' })), 200);
      await waitForEvent(wb, /0_appisdown.*app ✕/);
      await wb.waitForNotification(/auto-forward is failing/, 20_000);
      await wb.shot('item-5-forward-failing-said-once');

      // Item 7: a forged request (a signature made with another secret) fails verification and stands out.
      await wb.clearNotifications();
      const forged = buildKalturaSample({ templateId: 555002, templateName: 'Forged claim', entryId: '0_forged01', secret: 'not-the-partner-secret-0000000000', path: '/kaltura/forged' });
      assert.equal(await send(receiverUrl, forged), 200);
      await waitForEvent(wb, /0_forged01.*failed/);
      await wb.waitForNotification(/a request failed verification/, 20_000);
      const status = wb.page.locator('.statusbar-item', { hasText: /Kaltura/ }).first();
      await status.filter({ hasText: /1 failed/ }).waitFor({ state: 'visible', timeout: 15_000 });
      await wb.shot('item-7-forgery-stands-out');

      // Item 14: what differs comes first in a row, and the group with the newest event is on top.
      const labels = await wb.treeLabels('Events');
      const groups = labels.filter((l) => /Forged claim|Cross-partner check/.test(l));
      assert.match(groups[0] ?? '', /Forged claim/, `the newest group first: ${JSON.stringify(labels)}`);
      const row = labels.find((l) => l.includes('0_partnerb')) ?? '';
      assert.match(row, /^0_partnerb\b/, `the row starts with the entry: ${row}`);
      await wb.shot('item-14-entry-first-newest-on-top');
    });
  } finally {
    if (app.listening) {
      const closed = new Promise<void>((resolve) => app.close(() => resolve()));
      app.closeAllConnections();
      await closed;
    }
  }
});

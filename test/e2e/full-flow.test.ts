// The whole user journey from issue #4 in a real VS Code (code-server) driven through Chromium:
// start receiver + embedded sandbox → register a webhook from the Templates view → dispatch it → the
// verified event appears in the Events view → the inspector shows it → edit the template and save →
// stop, and the registered template is disabled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cmd, CATEGORY, OUTPUT_LOG, openInInspector, waitForEvent } from './support/kalturaUi';
import { e2eSkip } from './support/prerequisites';
import { log, withWorkbench } from './support/workbench';

const SYSTEM_TEMPLATE = 'Entry Status Changed';

test('full flow: register, dispatch, verified event, inspector, edit template, stop disables it', { timeout: 300_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  await withWorkbench({ suite: 'full-flow' }, async (wb) => {
    await wb.openViewContainer(CATEGORY);
    await wb.shot('views-before-start');

    // 1. A command that needs the receiver says so with a Start button (issue 15, item 16), which starts it; the
    //    embedded sandbox is the default account.
    await wb.runCommand(cmd('Copy Webhook URL'));
    await wb.waitForNotification(/the receiver is not running/, 15_000);
    const notRunning = wb.page.locator('.notification-list-item', { hasText: 'the receiver is not running' }).first();
    await notRunning.locator('.monaco-button', { hasText: /^\s*Start Receiver\s*$/ }).click();
    const receiverUrl = (await wb.waitForLog(/receiver listening on (http:\/\/127\.0\.0\.1:\d+)/, { pathPattern: OUTPUT_LOG, timeout: 60_000 }))[1]!;
    log(`receiver at ${receiverUrl}`);
    await wb.expandView('Connection');
    await wb.waitForTreeItem('Connection', new RegExp(receiverUrl.replace(/[.:/]/g, '\\$&')));
    await wb.waitForLog(/sandbox running at http:\/\/127\.0\.0\.1:\d+/, { pathPattern: OUTPUT_LOG });
    await wb.shot('receiver-and-sandbox-running');

    // 2. Register a webhook from the Templates view's title bar: clone a system template.
    await wb.viewTitleAction('Templates', 'Register Webhook…');
    await wb.pick(SYSTEM_TEMPLATE);
    // The output channel is the stable signal (toasts can auto-hide before the test looks at them).
    const registered = await wb.waitForLog(/registered template (\d+) \((.*)\) → (\S+)/, { pathPattern: OUTPUT_LOG, timeout: 60_000 });
    const templateId = registered[1]!;
    log(`registered template #${templateId}: ${registered[0]}`);
    assert.ok(registered[3]!.startsWith(`${receiverUrl}/`), `the template points at the receiver (${registered[3]})`);
    const templateRow = await wb.waitForTreeItem('Templates', /active/);
    await wb.shot('template-registered', { readme: 'registered-template' });
    await wb.clearNotifications();

    // 3. Dispatch it from the tree item's context menu. The sandbox follows Kaltura: the partner's clone cannot be
    //    dispatched by hand, and Entry Status Changed needs a status change, so a new entry is added and processed.
    await wb.contextMenu(templateRow, 'Dispatch Template…');
    const fired = await wb.waitForLog(new RegExp(`fired template ${templateId} \\(media\\.addFromUrl\\): created entry (0_\\w+)`), { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    const triggerEntry = fired[1]!;
    await wb.waitForNotification(/Kaltura notifies as it processes the entry/, 15_000);
    await wb.shot('dispatched');

    // 4. The signed notification arrives and is verified with the sandbox's admin secret.
    const eventRow = await waitForEvent(wb, /verified/, 30_000);
    const rowText = await eventRow.innerText();
    assert.doesNotMatch(rowText, /failed|unsigned/);
    // The entry made to fire the template is deleted from the toast once it is processed.
    const toast = wb.page.locator('.notification-list-item', { hasText: 'Kaltura notifies as it processes the entry' }).first();
    await toast.locator('.monaco-button', { hasText: 'Delete the Entry When Processed' }).click();
    await wb.waitForLog(new RegExp(`deleted the trigger entry ${triggerEntry}`), { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    await wb.shot('verified-event-in-events-view', { readme: 'events-view' });

    // 5. The inspector shows the verification, the Kaltura headers and the decoded notification.
    const frame = await openInInspector(wb, eventRow);
    assert.equal(await frame.locator('#verification-status').getAttribute('data-status'), 'verified');
    const verification = (await frame.locator('#verification-section').textContent()) ?? '';
    assert.match(verification, /sha(1|256|512)/i, 'the algorithm is shown');
    const headers = (await frame.locator('#headers').textContent()) ?? '';
    assert.match(headers, /x-kaltura-signature/i);
    const requestLine = (await frame.locator('#request-line').textContent()) ?? '';
    assert.match(requestLine, /^POST \//);
    const decoded = (await frame.locator('#decoded-body').textContent()) ?? '';
    assert.ok(decoded.includes(templateId), `decoded body names template ${templateId}`);
    assert.match(decoded, /KalturaHttpNotification/);
    await wb.shot('inspector-verified-event', { readme: 'payload-inspector' });

    // Open raw: a read-only document of its own (issue 15, item 15), not an Untitled buffer that asks to be saved.
    await frame.locator('button[data-action="openRaw"]').click();
    const rawTab = wb.page.locator('.part.editor .tab', { hasText: /^evt_[\w-]+\.http/ }).first();
    await rawTab.waitFor({ state: 'visible', timeout: 20_000 });
    const rawEditor = wb.page.locator('.part.editor .monaco-editor', { hasText: 'X-KALTURA-SIGNATURE' }).first();
    await rawEditor.waitFor({ state: 'visible', timeout: 15_000 });
    await rawEditor.locator('.view-lines').click();
    await wb.page.keyboard.type('typed into the raw request');
    await wb.page.waitForTimeout(300);
    assert.doesNotMatch((await rawTab.getAttribute('class')) ?? '', /\bdirty\b/, 'the raw request cannot be edited, so it is never dirty');
    assert.doesNotMatch(await rawEditor.locator('.view-lines').innerText(), /typed into the raw request/);
    await wb.shot('raw-request-read-only');
    await rawTab.locator('.codicon-close, .tab-actions .action-label').first().click();
    await rawTab.waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await wb.page.locator('.monaco-dialog-box').count(), 0, 'closing it asks nothing');

    // 6. Edit the template as JSON and save: the new name reaches the sandbox and the tree.
    const newName = `E2E edited ${Date.now()}`;
    await wb.contextMenu(await wb.waitForTreeItem('Templates', /active/), 'Edit Template');
    await wb.page.locator('.part.editor .tab.active', { hasText: /\.json/ }).waitFor({ state: 'visible', timeout: 20_000 });
    await wb.activeEditor.locator('.view-lines', { hasText: /"name"/ }).waitFor({ timeout: 20_000 });
    const original = await wb.activeEditorText();
    const doc = JSON.parse(original) as Record<string, unknown>;
    assert.equal(String(doc['id']), templateId, 'the editor shows the registered template');
    // A bad timeout is refused with the allowed values, in one notification (VS Code's save failure), not two.
    await wb.clearNotifications();
    await wb.replaceActiveEditorText(JSON.stringify({ ...doc, timeout: 'soon' }, null, 2));
    await wb.saveActiveEditor();
    await wb.waitForNotification(/was not saved: .*timeout: a whole number of seconds, 0 or more/, 20_000);
    await wb.page.waitForTimeout(1000);
    assert.equal((await wb.notifications()).filter((n) => /was not saved/.test(n)).length, 1, 'one notification for a failed save');
    await wb.shot('template-save-refused-bad-timeout');
    await wb.clearNotifications();
    doc['name'] = newName;
    await wb.replaceActiveEditorText(JSON.stringify(doc, null, 2));
    await wb.shot('template-edited');
    await wb.saveActiveEditor();
    await wb.waitForLog(new RegExp(`updated template ${templateId}\\b`), { pathPattern: OUTPUT_LOG, timeout: 20_000 });
    await wb.waitForNotification(`Template ${templateId} saved on the embedded sandbox.`, 15_000);
    await wb.page.locator('.part.editor .tab.active.dirty').waitFor({ state: 'detached', timeout: 20_000 });
    await wb.waitForTreeItem('Templates', newName, 20_000);
    await wb.shot('template-saved');

    // 6b. A template that fires on any entry change: Dispatch asks for an entry, then adds a tag to it and removes it.
    await wb.clearNotifications();
    await wb.viewTitleAction('Templates', 'Register Webhook…');
    await wb.pick('Entry Changed');
    const changedTemplate = (await wb.waitForLog(/registered template (\d+) \(Entry Changed/, { pathPattern: OUTPUT_LOG, timeout: 60_000 }))[1]!;
    await wb.runCommand(cmd('Dispatch Template…'));
    await wb.pick(/^Entry Changed/);
    await wb.pick(/Create a new sandbox entry/);
    await wb.waitForLog(new RegExp(`fired template ${changedTemplate} \\(media\\.update ×2\\): added the tag kwh-trigger-\\w+ to entry 0_\\w+ and removed it again`), { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    await wb.waitForNotification(/each change fires the template \(2 notifications/, 15_000);
    await wb.shot('dispatch-by-entry-change');

    // 7. Stop: the cleanup policy (default "disable") disables the registered template.
    await wb.runCommand(cmd('Stop Receiver'));
    await wb.waitForLog(new RegExp(`disabled template ${templateId}\\b`), { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    await wb.waitForLog(/\bstopped\b/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    await wb.waitForNotification('Kaltura Webhooks: stopped. 2 of 2 registered template(s) disabled.', 15_000);
    await wb.runCommand(cmd('Show Log'));
    await wb.page.locator('.part.panel .view-lines', { hasText: `disabled template ${templateId}` }).waitFor({ timeout: 20_000 });
    await wb.shot('stopped-template-disabled');
  });
});

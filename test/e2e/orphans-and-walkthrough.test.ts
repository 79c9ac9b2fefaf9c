// Issue #4, two claims about a real VS Code session (code-server + Chromium):
// (a) Templates left active by a session that died without cleaning up (code-server SIGKILLed with its whole
//     process group) are offered for clean-up when the next session starts with the same user data, and
//     "Disable" in that offer disables them on the Kaltura side (a sandbox this test starts, used as a live account).
// (b) The Getting Started walkthrough leads a new user from nothing to a verified sandbox event by clicking its
//     own buttons, in well under the two minutes the walkthrough promises.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { createKalturaConnection } from '../../src/core/kaltura/connection';
import { TemplateStatus } from '../../src/core/kaltura/schemas';
import { startSandbox } from '../../src/sandbox';
import { CATEGORY, OUTPUT_LOG, openInInspector, startReceiver, waitForEvent } from './support/kalturaUi';
import { connectLiveAccount, freePort } from './support/liveAccount';
import { e2eSkip } from './support/prerequisites';
import { listFiles, log, withWorkbench, Workbench } from './support/workbench';

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

test('orphans: templates left by a killed session are offered for clean-up and disabled', { timeout: 90_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  const adminSecret = randomBytes(16).toString('hex');
  const partnerId = 4_000_000 + Math.floor(Math.random() * 900_000);
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, partnerId, adminSecret });
  const kaltura = createKalturaConnection({ serviceUrl: sandbox.url, session: { kind: 'localAdminSecret', partnerId, adminSecret } });
  const receiverPort = await freePort();
  const receiverUrl = `http://127.0.0.1:${receiverPort}`;
  const settings = {
    // The "live" account is the test's sandbox on loopback, so the external URL is the receiver itself.
    'kalturaWebhooks.port': receiverPort,
    'kalturaWebhooks.tunnel.provider': 'external',
    'kalturaWebhooks.tunnel.publicUrl': receiverUrl,
  };
  const account = { partnerId, serviceUrl: sandbox.url, adminSecret };
  let first: Workbench | undefined;
  try {
    // Session 1: register a webhook, then die without any chance to clean up.
    first = await Workbench.open({ suite: 'orphans-1-killed-session', settings });
    let templateId: number;
    try {
      await first.openViewContainer(CATEGORY);
      await connectLiveAccount(first, account);
      await startReceiver(first);
      await first.viewTitleAction('Templates', 'Register Webhook…');
      await first.pick('Entry Status Changed');
      const registered = await first.waitForLog(/registered template (\d+) \((.*)\) → (\S+)/, { pathPattern: OUTPUT_LOG, timeout: 60_000 });
      templateId = Number(registered[1]);
      await first.waitForTreeItem('Templates', /active/);
      await first.shot('registered-before-kill');
      const registryFiles = listFiles(join(first.dirs.userData, 'User', 'globalStorage')).filter((f) => /registry[/\\]templates-\d+-/.test(f));
      assert.equal(registryFiles.length, 1, `the registry file is in global storage: ${JSON.stringify(registryFiles)}`);

      const pgid = first.codeServer.process.pid!;
      process.kill(-pgid, 'SIGKILL');
      for (let i = 0; i < 50 && groupAlive(pgid); i++) await delay(100);
      assert.equal(groupAlive(pgid), false, 'no process of the killed code-server (server, extension host) is left');
      await first.page.locator('.dialog-box, .notification-toast', { hasText: /reconnect|connection|disconnected/i }).first()
        .waitFor({ state: 'visible', timeout: 15_000 }).catch(() => undefined);
      await first.shot('code-server-killed');
    } catch (err) {
      await first.shot('failure');
      throw err;
    } finally {
      await first.close({ keepDirs: true });
    }
    const orphan = await kaltura.templates.get(templateId);
    assert.equal(orphan.status, TemplateStatus.ACTIVE, 'the killed session left its template active');
    // Session 2 gets the same user data (registry, settings); its own logs, so earlier lines cannot match.
    const oldLogs = join(first.dirs.userData, 'logs');
    if (existsSync(oldLogs)) renameSync(oldLogs, join(first.dirs.root, 'logs-killed-session'));

    await withWorkbench({ suite: 'orphans-2-next-session', settings, reuseDirs: first.dirs }, async (wb) => {
      await wb.openViewContainer(CATEGORY);
      // code-server keeps SecretStorage in the browser profile, which a new browser does not have: connect again.
      await connectLiveAccount(wb, account);
      // The offer is a warning with buttons. Toasts come and go (at most three show, they fade, and here one
      // sometimes never showed as a toast), while the Notifications center lists every notification: keep it
      // open, so the offer is found (and timed) wherever it lands.
      const OFFER = /registered by an earlier session are still active/;
      await wb.runCommand('Notifications: Show Notifications');
      await wb.page.locator('.notifications-center').waitFor({ state: 'visible', timeout: 10_000 });
      const tStart = Date.now();
      await startReceiver(wb);
      const receiverUpMs = Date.now() - tStart;
      if (!(await wb.page.locator('.notifications-center').isVisible())) await wb.runCommand('Notifications: Show Notifications');
      const offer = await wb.waitForNotification(OFFER, 30_000).catch(async (err: unknown) => {
        await wb.runCommand('Notifications: Show Notifications').catch(() => undefined);
        await wb.shot('no-offer-notifications-center');
        const registry = listFiles(join(wb.dirs.userData, 'User', 'globalStorage')).filter((f) => /registry/.test(f));
        log(`no offer; notifications: ${JSON.stringify(await wb.notifications())}; registry: ${registry.map((f) => `${f}: ${readFileSync(f, 'utf8')}`).join('\n')}\nlog:\n${wb.readLogs(OUTPUT_LOG)}`);
        throw err;
      });
      const offerMs = Date.now() - tStart;
      assert.match(offer, new RegExp(`#${templateId}\\b`), `the offer names the orphaned template: ${offer}`);
      assert.doesNotMatch(offer, /Another VS Code window/, 'the dead session is not taken for a live one');
      await wb.shot('orphan-clean-up-offer');
      const item = wb.page.locator('.notification-list-item', { hasText: OFFER }).first();
      await item.locator('.monaco-button', { hasText: /^\s*Disable\s*$/ }).first().click();
      await wb.waitForLog(new RegExp(`disabled template ${templateId}\\b`), { pathPattern: OUTPUT_LOG, timeout: 30_000 });
      const after = await kaltura.templates.get(templateId);
      assert.equal(after.status, TemplateStatus.DISABLED, 'Disable in the offer disabled the template on the server');
      await wb.shot('orphan-disabled');
      console.log(`orphans numbers: ${JSON.stringify({ templateId, startToReceiverUpMs: receiverUpMs, startToOfferMs: offerMs })}`);
    });
  } finally {
    if (first) {
      if (process.env.KWH_E2E_KEEP !== '1') rmSync(first.dirs.root, { recursive: true, force: true });
    }
    await sandbox.close();
  }
});

test('walkthrough: Getting Started leads to a verified sandbox event by clicking its buttons', { timeout: 90_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  await withWorkbench({ suite: 'walkthrough' }, async (wb) => {
    const walkthroughTitle = 'Get started with Kaltura Webhook Workbench';
    const t0 = Date.now();
    const stepTimes: Record<string, number> = {};
    const mark = (name: string) => { stepTimes[name] = Date.now() - t0; };

    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pick(walkthroughTitle);
    const page = wb.page.locator('.gettingStartedContainer');
    await page.getByText(walkthroughTitle).first().waitFor({ state: 'visible', timeout: 20_000 });
    mark('opened');
    await wb.shot('walkthrough-opened');

    const step = (title: string) => page.locator('.getting-started-step', { hasText: title }).first();
    const openStep = async (title: string) => {
      const s = step(title);
      if ((await s.getAttribute('aria-expanded')) !== 'true') await s.locator('.step-title').first().click();
      await s.locator('.step-description-container').first().waitFor({ state: 'visible', timeout: 10_000 });
      return s;
    };
    const clickAction = async (stepTitle: string, label: string) => {
      const s = await openStep(stepTitle);
      await s.getByRole('button', { name: label }).first().click();
    };
    // Seen here: a quick pick opened by a walkthrough button can close by itself ~0.1 s after it opens, because
    // the walkthrough moves the focus back to its step button (quick picks close when they lose focus); the
    // command then ends without doing anything. A user clicks the button again; so does the test (at most
    // twice more), and it counts how often that was needed.
    const closedByWalkthrough: string[] = [];
    const stablePick = async (label: RegExp): Promise<boolean> => {
      const row = wb.quickInput.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: label }) }).first();
      if (!(await row.waitFor({ state: 'visible', timeout: 8000 }).then(() => true, () => false))) return false;
      await wb.page.waitForTimeout(600);
      if (!(await row.isVisible())) return false;
      await row.click();
      return true;
    };
    const runWithPicks = async (stepTitle: string, button: string, picks: RegExp[]) => {
      for (let attempt = 1; ; attempt++) {
        await clickAction(stepTitle, button);
        let done = true;
        for (const label of picks) {
          if (await stablePick(label)) continue;
          done = false;
          const active = String(await wb.page.evaluate('`${document.activeElement?.tagName}.${document.activeElement?.className}`'));
          closedByWalkthrough.push(`${button} → ${String(label)} (focus on ${active})`);
          log(`walkthrough: the quick pick ${String(label)} of "${button}" closed by itself; focus is on ${active}`);
          await wb.shot(`quick-pick-closed-by-walkthrough-${closedByWalkthrough.length}`);
          break;
        }
        if (done) return;
        if (attempt >= 3) throw new Error(`"${button}" in the walkthrough never completed: ${closedByWalkthrough.join('; ')}`);
      }
    };
    const completed = async (stepTitle: string, timeout = 5000) =>
      step(stepTitle).locator('.codicon-pass-filled, .codicon-getting-started-step-checked').first().waitFor({ state: 'visible', timeout });

    // 1. Start the receiver and the embedded sandbox.
    await clickAction('Start the receiver and the sandbox', 'Start Receiver');
    await wb.waitForLog(/receiver listening on http:\/\/127\.0\.0\.1:\d+/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    await wb.waitForLog(/sandbox running at/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    await completed('Start the receiver and the sandbox');
    mark('started');
    await wb.shot('step-1-receiver-started');

    // 2. Register a webhook (clone a system template). A click that registers nothing (the pick cancelled) does not
    //    tick the step: it ticks on the outcome (issue 15, item 12).
    await clickAction('Register a webhook', 'Register Webhook');
    await wb.quickInput.waitFor({ state: 'visible', timeout: 8000 }).catch(() => undefined);
    await wb.page.keyboard.press('Escape');
    assert.equal(await completed('Register a webhook', 1500).then(() => true, () => false), false, 'a cancelled Register Webhook does not tick the step');
    await runWithPicks('Register a webhook', 'Register Webhook', [/^\s*Entry Status Changed\s*$/]);
    const registered = await wb.waitForLog(/registered template (\d+) \((.*)\) → (\S+)/, { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    await completed('Register a webhook');
    mark('registered');
    await wb.shot('step-2-webhook-registered');
    await wb.clearNotifications();

    // 3. Send an event: the command asks which template (the account may hold several); Entry Status Changed needs a
    // status change, so a new entry is added (the clone cannot be dispatched by hand, as on Kaltura).
    await runWithPicks('Send an event', 'Dispatch Template', [/Entry Status Changed/]);
    await wb.waitForLog(new RegExp(`fired template ${registered[1]} \\(media\\.addFromUrl\\)`), { pathPattern: OUTPUT_LOG, timeout: 30_000 });
    await completed('Send an event');
    mark('dispatched');
    await wb.shot('step-3-event-sent');

    // 4. Inspect: "Show Events" reveals the Events view; the verified event opens in the inspector.
    await clickAction('Inspect the verified event', 'Show Events');
    const row = await waitForEvent(wb, /verified/, 30_000);
    mark('verified-event-shown');
    await wb.shot('step-4-verified-event-in-events-view');
    const frame = await openInInspector(wb, row);
    assert.equal(await frame.locator('#verification-status').getAttribute('data-status'), 'verified');
    mark('inspected');
    await wb.shot('step-4-inspector-verified');
    // Back to the walkthrough's tab (the inspector took the editor area) to see the steps ticked.
    // VS Code 1.100 titles the tab "Walkthrough: …", newer releases "Welcome".
    const walkthroughTab = wb.page.locator('.part.editor .tab', { hasText: /Walkthrough|Welcome/ }).first();
    await walkthroughTab.click();
    for (const title of ['Start the receiver and the sandbox', 'Register a webhook', 'Send an event']) await completed(title);
    // Seen here: opening the event by clicking its row (what the step tells the user to do) does not tick the
    // step, whose completion event is onCommand:kalturaWebhooks.openEvent. The row's command carries arguments,
    // so VS Code runs it through its internal command delegation and the walkthrough never sees that id. The
    // row's inline "Open in Payload Inspector" action runs the command by its id: it ticks the step.
    const tickedByRowClick = await completed('Inspect the verified event').then(() => true, () => false);
    if (!tickedByRowClick) {
      log('walkthrough: opening the event by clicking its row did not complete the "Inspect the verified event" step');
      await wb.shot('step-4-not-ticked-after-row-click');
      await wb.inlineAction(await waitForEvent(wb, /verified/), 'Open in Payload Inspector');
      await wb.webviewFrame('#inspector[data-event-id]', 15_000);
      await walkthroughTab.click();
      await completed('Inspect the verified event');
    }
    await wb.shot('walkthrough-all-steps-done');
    const totalMs = stepTimes['inspected']!;
    console.log(`walkthrough numbers (ms since the walkthrough was opened from the palette): ${JSON.stringify({ ...stepTimes, quickPicksClosedByWalkthrough: closedByWalkthrough, inspectStepTickedByRowClick: tickedByRowClick })}`);
    log(`walkthrough: verified event in the inspector ${(totalMs / 1000).toFixed(1)} s after opening it`);
    assert.deepEqual(closedByWalkthrough, [], 'no quick pick started from the walkthrough closed by itself');
    assert.ok(tickedByRowClick, 'opening the event from its row completes the last step');
    assert.ok(totalMs < 120_000, `the walkthrough took ${totalMs} ms (the issue promises under two minutes)`);
  });
});

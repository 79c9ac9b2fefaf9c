// Issue #4: "stays responsive with 10,000 events". 10,000 Kaltura notifications built like the real sender's
// (buildSampleRequest, distinct job and entry ids) are POSTed to the receiver from this process, 50 at a time,
// while the UI is used: a palette command issued during the load must answer quickly, every event must be
// recorded (status bar, Connection view, Events view), and the Events filter (verification, text) must apply fast.
//
// The account is a sandbox this test starts (connected as a "live" account through the UI) rather than the
// extension's embedded sandbox: only then does the test know the admin secret, so the load can be signed with it
// and verify, plus a slice signed with a wrong secret that the verification filter must single out.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { buildSampleRequest, type SampleRequest } from '../../src/core/providers/samples';
import { startSandbox } from '../../src/sandbox';
import { cmd, CATEGORY, startReceiver } from './support/kalturaUi';
import { connectLiveAccount } from './support/liveAccount';
import { startLoad } from './support/loadGenerator';
import { e2eSkip } from './support/prerequisites';
import { exactText, log, withWorkbench, type Workbench } from './support/workbench';

const TOTAL = 10_000;
const TAMPERED = 500;
const CONCURRENCY = 50;
/**
 * Bound for the extension host's answer to a palette command under load (click on "Filter Events…" until its
 * quick pick shows). Idle it takes ~0.1 s here. A user notices a UI that does not answer within ~1 s; 2 s leaves
 * room for the 2 shared cores that run the load generator, code-server, the extension host and Chromium at once.
 */
const COMMAND_BOUND_MS = 2000;
/** Bound for the filter to show its result over 10,000 events, from Enter in the filter box. */
const FILTER_BOUND_MS = 3000;

const FILTER_TITLE = 'Filter events: sources and verification';

interface Timing {
  /** F1 until the filter quick pick shows (what the user waits for). */
  paletteMs: number;
  /** Click on the command until its quick pick shows (the extension host's part). */
  extHostMs: number;
}

/** Runs "Filter Events…" from the palette and measures how long the user waits; leaves the quick pick open. */
async function timedFilterCommand(wb: Workbench): Promise<Timing> {
  await wb.closeQuickInput();
  await wb.page.locator('.part.sidebar .composite.title .title-label').first().click({ timeout: 5000 }).catch(() => undefined);
  const t0 = performance.now();
  await wb.page.keyboard.press('F1');
  const input = wb.quickInput.locator('input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${cmd('Filter Events…')}`);
  const row = wb.quickInput.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: exactText(cmd('Filter Events…')) }) }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  const t1 = performance.now();
  await row.click();
  await wb.quickInput.getByText(FILTER_TITLE).waitFor({ state: 'visible', timeout: 30_000 });
  const t2 = performance.now();
  return { paletteMs: Math.round(t2 - t0), extHostMs: Math.round(t2 - t1) };
}

/** Completes the open filter quick pick: ticks `verification` (if any), then types `text` and presses Enter. */
async function applyFilter(wb: Workbench, options: { verification?: string; text?: string }): Promise<number> {
  if (options.verification) {
    const row = wb.quickInput.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: new RegExp(`^\\s*${options.verification}\\s*$`) }) }).first();
    await row.click();
    await wb.quickInput.locator('.monaco-list-row[aria-checked="true"]', { hasText: options.verification }).first().waitFor({ timeout: 5000 });
  }
  await wb.quickInput.locator('input.input').press('Enter');
  await wb.quickInput.getByText('Filter events: text').waitFor({ state: 'visible', timeout: 10_000 });
  const box = wb.quickInput.locator('input.input');
  await box.fill(options.text ?? '');
  const t0 = performance.now();
  await box.press('Enter');
  return t0;
}

/** Top-level rows (sources) and their descriptions, group rows, as text. */
async function rowTexts(wb: Workbench): Promise<string[]> {
  return (await wb.treeItems('Events').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('many events: stays responsive with 10,000 events', { timeout: 90_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  const adminSecret = randomBytes(16).toString('hex');
  const wrongSecret = randomBytes(16).toString('hex');
  const partnerId = 4_000_000 + Math.floor(Math.random() * 900_000);
  const needle = `needle-${randomBytes(4).toString('hex')}`;
  const needleIndex = 7777;
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, partnerId, adminSecret });

  // Built up front so request signing does not compete with the UI during the run.
  const tb = performance.now();
  const requests: SampleRequest[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const tampered = i % (TOTAL / TAMPERED) === 0;
    const group = tampered ? 'C' : i % 2 ? 'A' : 'B';
    requests.push(buildSampleRequest('kaltura', {
      secret: tampered ? wrongSecret : adminSecret,
      partnerId,
      jobId: 500_000_000 + i,
      templateId: { A: 91001, B: 91002, C: 91003 }[group],
      templateName: tampered ? 'Load tampered' : `Load ${group}`,
      templateSystemName: `LOAD_${group}`,
      entryId: `0_load${String(i).padStart(5, '0')}`,
      entryName: i === needleIndex ? needle : `Load entry ${i}`,
    }));
  }
  log(`built ${TOTAL} signed requests in ${Math.round(performance.now() - tb)} ms`);
  const numbers: Record<string, unknown> = {};

  try {
    await withWorkbench({
      suite: 'many-events',
      // The default capacity (5,000) would evict half of the run; the claim is about 10,000 kept events.
      settings: { 'kalturaWebhooks.store.capacity': 20_000, 'kalturaWebhooks.tunnel.provider': 'none' },
    }, async (wb) => {
      await wb.openViewContainer(CATEGORY);
      await connectLiveAccount(wb, { partnerId, serviceUrl: sandbox.url, adminSecret });
      const receiverUrl = await startReceiver(wb);
      await wb.expandView('Events');
      await wb.shot('receiver-running-no-events');

      // Idle baseline for the same command.
      const idle: Timing[] = [];
      for (let i = 0; i < 2; i++) {
        idle.push(await timedFilterCommand(wb));
        await wb.closeQuickInput();
      }

      const load = startLoad(receiverUrl, requests, CONCURRENCY);
      await waitUntil('the first 1,000 responses', 30_000, async () => (load.progress.done >= 1000 ? true : undefined));
      const underLoad: Array<Timing & { doneBefore: number; doneAfter: number }> = [];
      for (let i = 0; i < 3 && load.progress.done < TOTAL; i++) {
        const doneBefore = load.progress.done;
        const timing = await timedFilterCommand(wb);
        const doneAfter = load.progress.done;
        underLoad.push({ ...timing, doneBefore, doneAfter });
        if (i === 0) await wb.shot('filter-quick-pick-opened-under-load');
        await wb.closeQuickInput();
      }
      const result = await load.finished;
      const tLoadEnd = performance.now();
      log(`load: ${JSON.stringify(result)}`);
      assert.equal(result.statuses['200'], TOTAL, `every request got 200: ${JSON.stringify(result.statuses)} ${result.errors.join('; ')}`);
      // "While the load is running": the load must not have finished before the command answered.
      const during = underLoad.filter((m) => m.doneAfter < TOTAL);
      assert.ok(during.length >= 1, `at least one command ran while requests were still being answered: ${JSON.stringify(underLoad)}`);
      for (const m of during) {
        assert.ok(m.extHostMs <= COMMAND_BOUND_MS, `under load the command answered in ${m.extHostMs} ms (bound ${COMMAND_BOUND_MS} ms)`);
      }

      // Every event is recorded: status bar, Connection view and the Events view's source row say 10000.
      const statusItem = wb.page.locator('.part.statusbar .statusbar-item', { hasText: /Kaltura/ }).first();
      await waitUntil('the status bar to count 10000 events', 30_000, async () => (/·\s*10000\b/.test(await statusItem.innerText()) ? true : undefined));
      const catchUpMs = Math.round(performance.now() - tLoadEnd);
      const statusText = (await statusItem.innerText()).trim();
      await wb.expandView('Connection');
      const eventsRow = await wb.waitForTreeItem('Connection', /^\s*Events\s*10000\s*$/, 15_000);
      const sourceRow = await wb.waitForTreeItem('Events', /Kaltura HTTP notifications\s*10000/, 15_000);
      assert.match(await eventsRow.innerText(), /10000/);
      assert.match(await sourceRow.innerText(), /10000/);
      let groups = await rowTexts(wb);
      if (!groups.some((g) => /Load B/.test(g))) {
        // A group first drawn while the store held few events starts expanded (the tree expands small stores), and
        // 5,000 rows push the next group out of the rendered window: collapse all, then open the source again.
        await wb.viewTitleAction('Events', 'Collapse All');
        await (await wb.waitForTreeItem('Events', /Kaltura HTTP notifications\s*10000/, 15_000)).click();
        groups = await waitUntil('both groups in view', 15_000, async () => {
          const rows = await rowTexts(wb);
          return rows.some((g) => /Load B/.test(g)) ? rows : undefined;
        });
      }
      log(`events view: ${JSON.stringify(groups)}`);
      assert.ok(groups.some((g) => /Load A\s*#91001 · 5000/.test(g)), 'group A holds 5,000 events');
      assert.ok(groups.some((g) => /Load B\s*#91002 · 4500/.test(g)), 'group B holds 4,500 events');
      assert.ok(groups.some((g) => /Load tampered\s*#91003 · 500/.test(g)), 'the tampered group holds 500 events');
      await wb.shot('ten-thousand-events-recorded');

      // Filter by verification: only the 500 events signed with the wrong secret remain.
      await wb.expandView('Events');
      await timedFilterCommand(wb);
      await wb.shot('filter-pick-failed');
      const tf0 = await applyFilter(wb, { verification: 'failed' });
      await waitUntil('only the tampered group to show', FILTER_BOUND_MS * 5, async () => {
        const rows = await rowTexts(wb);
        return rows.some((r) => r.startsWith('Load tampered')) && !rows.some((r) => /^Load [AB]\b/.test(r)) ? true : undefined;
      });
      const verificationFilterMs = Math.round(performance.now() - tf0);
      // With a filter on, the counts are of what is shown: 500 on the source row and the group, and the view says so.
      await wb.waitForTreeItem('Events', /Kaltura HTTP notifications\s*500\s*$/, 5000);
      assert.ok((await rowTexts(wb)).some((r) => /^Load tampered\s*#91003 · 500$/.test(r)), `filtered group count: ${JSON.stringify(await rowTexts(wb))}`);
      await wb.viewPane('Events').getByText(/500 of 10000 events shown/).first().waitFor({ state: 'visible', timeout: 5000 });
      const tampered = await wb.waitForTreeItem('Events', /^\s*Load tampered/);
      await tampered.click(); // groups start collapsed above 200 events
      await wb.waitForTreeItem('Events', /0_load\d{5}.*failed/, 10_000);
      const failedRows = (await rowTexts(wb)).filter((r) => /0_load\d{5}/.test(r));
      assert.ok(failedRows.length > 0 && failedRows.every((r) => /failed/.test(r) && !/verified/.test(r)), `only failed events listed: ${JSON.stringify(failedRows.slice(0, 5))}`);
      await wb.shot('filtered-by-verification-failed');
      assert.ok(verificationFilterMs <= FILTER_BOUND_MS, `verification filter applied in ${verificationFilterMs} ms (bound ${FILTER_BOUND_MS} ms)`);

      // Filter by text: one event out of 10,000, found by a word of its entry name (body text).
      await tampered.click(); // collapse again, or its 500 rows push the other groups out of the rendered list
      await wb.runCommand(cmd('Clear Event Filter'));
      await waitUntil('the unfiltered tree', 10_000, async () => ((await rowTexts(wb)).some((r) => /^Load A\b/.test(r)) ? true : undefined));
      await timedFilterCommand(wb);
      const tt0 = await applyFilter(wb, { text: needle });
      await waitUntil('only the needle group to show', FILTER_BOUND_MS * 5, async () => {
        const rows = await rowTexts(wb);
        return rows.filter((r) => /^Load [ABt]/.test(r)).length === 1 && rows.some((r) => /^Load A\b/.test(r)) ? true : undefined;
      });
      const textFilterMs = Math.round(performance.now() - tt0);
      const groupA = await wb.waitForTreeItem('Events', /^\s*Load A\b/);
      if ((await groupA.getAttribute('aria-expanded')) === 'false') await groupA.click();
      const needleRow = await wb.waitForTreeItem('Events', new RegExp(`0_load0${needleIndex}`), 10_000);
      assert.match(await needleRow.innerText(), /verified/);
      const listed = (await rowTexts(wb)).filter((r) => /0_load\d{5}/.test(r));
      assert.equal(listed.length, 1, `exactly one event matches "${needle}": ${JSON.stringify(listed)}`);
      await wb.shot('filtered-by-text-one-of-ten-thousand');
      assert.ok(textFilterMs <= FILTER_BOUND_MS, `text filter applied in ${textFilterMs} ms (bound ${FILTER_BOUND_MS} ms)`);
      await wb.runCommand(cmd('Clear Event Filter'));

      Object.assign(numbers, {
        events: TOTAL,
        concurrency: CONCURRENCY,
        loadMs: result.durationMs,
        requestsPerSecond: result.rate,
        responseLatencyMs: result.latencyMs,
        idleCommandMs: idle,
        underLoadCommandMs: underLoad,
        uiCatchUpAfterLoadMs: catchUpMs,
        statusBar: statusText,
        verificationFilterMs,
        textFilterMs,
      });
    });
  } finally {
    await sandbox.close();
  }
  console.log(`many-events numbers: ${JSON.stringify(numbers, null, 2)}`);
});

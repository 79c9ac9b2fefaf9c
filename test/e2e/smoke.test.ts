// Smoke: the packaged VSIX installs into code-server, the workbench opens in headless Chromium, the
// "Kaltura Webhooks" view container shows its three views, and the extension activates without errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeServerRelease } from '../../scripts/codeServer.mjs';
import { e2eSkip } from './support/prerequisites';
import { extensionId, withWorkbench } from './support/workbench';

test('smoke: extension installs into code-server, shows its views and activates', { timeout: 240_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  await withWorkbench({ suite: 'smoke' }, async (wb) => {
    await wb.shot('workbench-ready');
    // The extension host activates the built-in extensions after start-up; the figure read below counts waiting for
    // the host's thread, so the view is opened once no extension has activated for 3 s (at most 30 s).
    const activations = () => (wb.readLogs(/exthost\.log$/).match(/ExtensionService#_doActivateExtension/g) ?? []).length;
    for (let seen = activations(), quietSince = Date.now(), deadline = Date.now() + 30_000; Date.now() - quietSince < 3000 && Date.now() < deadline; ) {
      await wb.page.waitForTimeout(500);
      if (activations() !== seen) [seen, quietSince] = [activations(), Date.now()];
    }

    await wb.openViewContainer('Kaltura Webhooks');
    for (const view of ['Events', 'Templates', 'Connection']) {
      await wb.viewPane(view).locator('.pane-header').waitFor({ state: 'visible', timeout: 30_000 });
    }
    const activation = await wb.waitForActivation();
    assert.match(activation, new RegExp(extensionId.replace(/\./g, '\\.')));
    await wb.expandView('Connection');
    await wb.shot('view-container-open');

    // A command that needs the activated extension: its log channel opens in the Output panel.
    await wb.runCommand('Kaltura Webhooks: Show Log');
    await wb.page.locator('.part.panel').waitFor({ state: 'visible', timeout: 20_000 });
    const channel = wb.page.locator('.part.panel select.monaco-select-box').first();
    await channel.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal((await channel.locator('option:checked').textContent())?.trim(), 'Kaltura Webhooks');
    await wb.page.locator('.part.panel .view-lines', { hasText: /activated/ }).waitFor({ timeout: 20_000 });
    await wb.shot('log-channel');
    // The run is against the release it says (newest, or the engines.vscode floor): the extension logs vscode.version.
    const release = codeServerRelease();
    const [, version] = await wb.waitForLog(/activated in [\d.]+ ms \(VS Code (\d+\.\d+)\.\d+/, { timeout: 20_000 });
    assert.equal(version, release.vscode, `code-server ${release.version} (${release.name}) runs VS Code ${release.vscode}`);

    // Activation as the extension host counts it (code loading + activate()), from VS Code's Running Extensions view.
    await wb.runCommand('Developer: Show Running Extensions');
    // Rows are sorted by activation time and the list renders only what is on screen: go to the end of it if needed.
    const rows = wb.page.locator('.runtime-extensions-editor .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
    const row = rows.filter({ hasText: 'Kaltura Webhook Workbench' }).first();
    for (let i = 0; i < 3 && !(await row.isVisible()); i++) {
      await rows.first().click();
      await wb.page.keyboard.press('End');
      await wb.page.waitForTimeout(500);
    }
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    const rowText = (await row.innerText()).replace(/\s+/g, ' ');
    const hostMs = /(\d+)\s*ms/.exec(rowText);
    assert.ok(hostMs, `the Running Extensions row names an activation time: ${rowText}`);
    console.log(`# activation as the extension host records it (code-server ${release.version}): ${hostMs[1]} ms (${rowText.trim()})`);
    // Reported, not bounded: the host's figure includes waiting for its single thread. Opened while the built-in
    // extensions were activating it read 720 and 560 ms; after the quiet wait above, 5 to 77 ms. The bench
    // (bench/extensionCost.ts) measures the extension's own cost against the 50 ms goal.
    await wb.shot('running-extensions');

    const hostLog = wb.readLogs(/exthost\.log$/);
    assert.doesNotMatch(hostLog, new RegExp(`Activating extension '?${extensionId.replace(/\./g, '\\.')}'? failed`, 'i'));
    const errors = (await wb.notifications()).filter((n) => /error|failed/i.test(n));
    assert.deepEqual(errors, [], 'no error notifications after activation');
  });
});

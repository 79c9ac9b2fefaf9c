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

    const hostLog = wb.readLogs(/exthost\.log$/);
    assert.doesNotMatch(hostLog, new RegExp(`Activating extension '?${extensionId.replace(/\./g, '\\.')}'? failed`, 'i'));
    const errors = (await wb.notifications()).filter((n) => /error|failed/i.test(n));
    assert.deepEqual(errors, [], 'no error notifications after activation');
  });
});

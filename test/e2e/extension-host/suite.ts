// Runs INSIDE a desktop VS Code extension host (loaded by @vscode/test-electron after esbuild bundles it).
// Drives the real extension through its commands and its exported API; throws on the first failed check.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WorkbenchExtensionApi } from '../../../src/extension';

const EXTENSION_ID = 'kaltura-webhook-workbench.kaltura-webhook-workbench';

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<WorkbenchExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed in the test instance`);
  assert.equal(extension.isActive, false, 'activation is lazy: nothing activates the extension at startup');
  const api = await extension.activate();
  // The activation bundle loads the core on first use; asking for it here is that first use.
  const { workbench } = await api.core();

  const commands = await vscode.commands.getCommands(true);
  for (const id of ['kalturaWebhooks.start', 'kalturaWebhooks.stop', 'kalturaWebhooks.registerWebhook', 'kalturaWebhooks.triggerSample', 'kalturaWebhooks.openEvent']) {
    assert.ok(commands.includes(id), `command ${id} is registered`);
  }

  await vscode.commands.executeCommand('kalturaWebhooks.start');
  assert.equal(workbench.state, 'running');
  assert.ok(workbench.sandbox, 'the default account mode starts the embedded sandbox');
  assert.match(workbench.webhookUrl() ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);

  // A signed sample, sent over HTTP to the receiver, verifies with the sandbox's admin secret.
  const before = workbench.store.size;
  await vscode.commands.executeCommand('kalturaWebhooks.triggerSample', 'kaltura-json');
  const event = await waitFor('the sample event', () => workbench.store.size > before && workbench.store.all().at(-1));
  assert.equal(event.verification.status, 'verified');

  // Register + dispatch against the sandbox; the real notification arrives verified.
  const system = await workbench.requireKaltura().templates.listAllTemplates({ typeEqual: 'httpNotification.Http' });
  const source = system.find((t) => t.systemName === 'HTTP_ENTRY_STATUS_CHANGED') ?? system[0];
  assert.ok(source, 'the sandbox lists HTTP system templates');
  await vscode.commands.executeCommand('kalturaWebhooks.registerWebhook', source.id);
  const registered = await waitFor('a registered template', () => [...workbench.registeredIds][0]);
  const entry = workbench.sandbox!.addEntry({ name: 'extension-host test' });
  const count = workbench.store.size;
  await vscode.commands.executeCommand('kalturaWebhooks.dispatchTemplate', registered, entry.id);
  const delivered = await waitFor('the dispatched notification', () => workbench.store.size > count && workbench.store.all().at(-1), 30_000);
  assert.equal(delivered.source, 'kaltura');
  assert.equal(delivered.verification.status, 'verified');

  await vscode.commands.executeCommand('kalturaWebhooks.openEvent', delivered.id);
  await waitFor('the inspector tab', () =>
    vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && /inspector/i.test(t.input.viewType))),
  );

  await vscode.commands.executeCommand('kalturaWebhooks.stop');
  assert.equal(workbench.state, 'stopped');
}

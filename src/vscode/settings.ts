// One typed accessor over `kalturaWebhooks.*` (the table of defaults is settingsValues.ts). Everything else reads
// settings through readSettings(), so the core receives plain values and never touches the configuration API.
import * as vscode from 'vscode';
import { SECTION, settingsFrom, type WorkbenchSettings } from './settingsValues';

export * from './settingsValues';

let snapshot: WorkbenchSettings | undefined;
let watching: vscode.Disposable | undefined;

/**
 * The settings, read from the configuration once per change: every caller between two changes shares one
 * snapshot (a frozen object, so no caller can alter what the others see).
 */
export function readSettings(): WorkbenchSettings {
  watching ??= vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) snapshot = undefined;
  });
  if (!snapshot) {
    const c = vscode.workspace.getConfiguration(SECTION);
    snapshot = Object.freeze(settingsFrom((key) => c.get(key)));
  }
  return snapshot;
}

/** Writes a setting to the user (global) scope. */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  // The caller reads the new value next; the change event may not have been delivered yet.
  snapshot = undefined;
}

/** Calls `listener` with fresh settings whenever any `kalturaWebhooks.*` setting changes. */
export function onSettingsChanged(
  listener: (settings: WorkbenchSettings, event: vscode.ConfigurationChangeEvent) => void,
): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SECTION)) return;
    // This listener may run before the one that drops the snapshot: drop it here too, so it reads the new values.
    snapshot = undefined;
    listener(readSettings(), e);
  });
}

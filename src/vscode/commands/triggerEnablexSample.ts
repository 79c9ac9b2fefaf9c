// "Trigger EnableX Sample Event…"
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { defineCommand } from './command';

export const triggerEnablexSample = defineCommand(COMMANDS.triggerEnablexSample, ({ workbench, secrets }) => async () => {
  await secrets.enablexPassword(() => randomBytes(18).toString('base64url'));
  await workbench.reloadCredentials();
  const pick = await vscode.window.showQuickPick(
    ['enablex-roomdrop', 'enablex-recording', 'enablex-transcoded', 'enablex-file-transfer'].map((k) => ({ label: k.replace('enablex-', ''), sampleKind: k })),
    { title: vscode.l10n.t('EnableX sample event') },
  );
  if (!pick) return;
  await vscode.commands.executeCommand(COMMANDS.triggerSample, pick.sampleKind);
});

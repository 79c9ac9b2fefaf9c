// A new account (or the sandbox again) takes effect at the next start: offer that restart now.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { CommandDeps } from './deps';

export async function restartIfRunning(deps: CommandDeps): Promise<void> {
  if (deps.workbench.state !== 'running') return;
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Restart the receiver to use the new account?'), vscode.l10n.t('Restart'), vscode.l10n.t('Later'));
  if (choice !== vscode.l10n.t('Restart')) return;
  await vscode.commands.executeCommand(COMMANDS.stop);
  await vscode.commands.executeCommand(COMMANDS.start);
}

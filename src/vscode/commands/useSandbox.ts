// "Use Embedded Sandbox"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { updateSetting } from '../settings';
import { restartIfRunning } from './accountRestart';
import { defineCommand } from './command';

export const useSandbox = defineCommand(COMMANDS.useSandbox, (deps) => {
  const { log } = deps;
  return async () => {
    await updateSetting('account.mode', 'sandbox');
    log.info('account mode: sandbox');
    if (deps.workbench.state === 'running') await restartIfRunning(deps);
    else void vscode.window.showInformationMessage(vscode.l10n.t('Using the embedded Kaltura sandbox. Run "Start Receiver" to begin.'));
  };
});

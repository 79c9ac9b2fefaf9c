// "Stop Receiver"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { reportCleanup, withProgress } from './deps';
import { defineCommand } from './command';

export const stop = defineCommand(COMMANDS.stop, (deps) => {
  const { workbench } = deps;
  return async () => {
    const outcomes = await withProgress('Kaltura Webhooks: stopping', async (progress) => {
      progress.report({ message: vscode.l10n.t('cleaning up registered templates…') });
      return workbench.stop();
    });
    if (outcomes.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Kaltura Webhooks: stopped.'));
    else reportCleanup(deps, outcomes, outcomes[0]?.action === 'deleted' ? 'deleted' : 'disabled', 'Kaltura Webhooks: stopped. ');
  };
});

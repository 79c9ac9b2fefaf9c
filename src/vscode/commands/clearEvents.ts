// "Clear Events"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { defineCommand } from './command';

export const clearEvents = defineCommand(COMMANDS.clearEvents, ({ workbench, log }) => async () => {
  const count = workbench.store.size;
  if (!count) return;
  const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Clear all {0} events (and the persisted event log)?', count), { modal: true }, vscode.l10n.t('Clear'));
  if (ok !== vscode.l10n.t('Clear')) return;
  await workbench.store.clear();
  log.info(`cleared ${count} events`);
});

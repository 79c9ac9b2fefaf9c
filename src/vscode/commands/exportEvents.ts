// "Export Events…"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { isFilterActive } from '../views/eventGrouping';
import { defineCommand } from './command';

export const exportEvents = defineCommand(COMMANDS.exportEvents, ({ workbench, eventsTree, actions }) => async () => {
  const all = workbench.store.all();
  if (!all.length) throw new Error(vscode.l10n.t('There are no events to export yet.'));
  const pick = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('JSON'), description: vscode.l10n.t('every event with its raw request (body as base64)'), format: 'json' as const },
      { label: vscode.l10n.t('.http file'), description: vscode.l10n.t('REST Client requests aimed at the receiver'), format: 'http' as const },
      { label: vscode.l10n.t('curl script'), description: vscode.l10n.t('one curl command per event'), format: 'curl' as const },
    ],
    { title: vscode.l10n.t('Export {0} event(s){1}', all.length, isFilterActive(eventsTree.getFilter()) ? ' (all, the filter is ignored)' : '') },
  );
  if (!pick) return;
  const message = await actions.exportEvents(all, pick.format);
  void vscode.window.showInformationMessage(message);
});

// "Clean Up Registered Templates…"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { reportCleanup, withProgress } from './deps';
import { defineCommand } from './command';

export const cleanupTemplates = defineCommand(COMMANDS.cleanupTemplates, (deps) => {
  const { workbench, templatesTree } = deps;
  return async () => {
    workbench.requireKaltura();
    const pick = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Disable the templates this session registered'), policy: 'disable' as const },
        { label: vscode.l10n.t('Delete the templates this session registered'), policy: 'delete' as const },
      ],
      { title: vscode.l10n.t('Clean up registered templates') },
    );
    if (!pick) return;
    const records = (await workbench.registry?.list()) ?? [];
    if (records.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This session has not registered any templates.'));
      return;
    }
    if (pick.policy === 'delete') {
      // A single delete asks; deleting all of them at once asks too, naming them.
      const ids = records.slice(0, 5).map((r) => `#${r.id ?? '?'}`).join(', ') + (records.length > 5 ? ` and ${records.length - 5} more` : '');
      const ok = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete the {0} template(s) this session registered ({1})? Kaltura cannot undo a delete; Disable keeps them.', records.length, ids),
        { modal: true },
        vscode.l10n.t('Delete'),
      );
      if (ok !== vscode.l10n.t('Delete')) return;
    }
    const outcomes = await withProgress('Kaltura Webhooks: cleaning up', () => workbench.cleanupRegistered(pick.policy));
    await templatesTree.refresh();
    reportCleanup(deps, outcomes, pick.policy === 'delete' ? 'deleted' : 'disabled');
  };
});

// "Delete Template"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { pickPartnerTemplate, templateLabel } from './templatePick';
import { defineCommand } from './command';

export const deleteTemplate = defineCommand(COMMANDS.deleteTemplate, (deps) => {
  const { workbench, templatesTree } = deps;
  return async (arg?: unknown) => {
    workbench.requireKaltura();
    const template = await pickPartnerTemplate(deps, arg, 'Delete which template?');
    if (!template) return;
    const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Delete template "{0}" (#{1})?', templateLabel(template), template.id), { modal: true }, vscode.l10n.t('Delete'));
    if (ok !== vscode.l10n.t('Delete')) return;
    await workbench.deleteTemplate(template);
    await templatesTree.refresh();
  };
});

// "Re-point Template to Current URL"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { pickPartnerTemplate } from './templatePick';
import { defineCommand } from './command';

export const repointTemplate = defineCommand(COMMANDS.repointTemplate, (deps) => {
  const { workbench, templatesTree } = deps;
  return async (arg?: unknown) => {
    workbench.requireKaltura();
    const base = workbench.webhookUrl();
    if (!base) throw new Error(vscode.l10n.t('There is no current URL to point at: start the receiver (and the tunnel for a live account).'));
    const template = await pickPartnerTemplate(deps, arg, 'Re-point which template?');
    if (!template) return;
    const url = await workbench.repointTemplate(template, base);
    void vscode.window.showInformationMessage(vscode.l10n.t('Template #{0} now calls {1}', template.id, url));
    await templatesTree.refresh();
  };
});

// "Edit Template"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { templateUri } from '../templateDocuments';
import { pickPartnerTemplate } from './templatePick';
import { defineCommand } from './command';

export const editTemplate = defineCommand(COMMANDS.editTemplate, (deps) => async (arg?: unknown) => {
  const template = await pickPartnerTemplate(deps, arg, 'Edit which template?');
  if (!template) return;
  const doc = await vscode.workspace.openTextDocument(templateUri(template));
  await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(doc, { preview: false });
});

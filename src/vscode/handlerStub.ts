// "Generate handler stub": asks for a language and framework, writes the files the core code generator produces
// into the workspace and opens the handler. The workbench's secrets are passed as knownSecrets, so generation
// fails rather than embed one.
import * as vscode from 'vscode';
import type { WebhookEvent } from '../core/events/model';
import type { WorkbenchLog } from './log';
import type { Workbench } from './workbench';

export async function generateHandlerForEvent(event: WebhookEvent, workbench: Workbench, log: WorkbenchLog): Promise<string> {
  const { generateHandler, frameworksByLanguage } = await import('../core/codegen/index');
  const { generatedPathParts } = await import('../core/codegen/writeFiles');
  if (event.source === 'unknown') {
    throw new Error(vscode.l10n.t('This request was not recognised as Kaltura or EnableX, so there is no verification scheme to generate; pick a Kaltura or EnableX event.'));
  }
  const choices = (Object.keys(frameworksByLanguage) as Array<keyof typeof frameworksByLanguage>).flatMap((language) =>
    frameworksByLanguage[language].map((framework) => ({
      label: `${language === 'typescript' ? 'TypeScript' : language === 'python' ? 'Python' : 'PHP'} · ${framework}`,
      language,
      framework,
    })),
  );
  if (vscode.workspace.workspaceFolders?.length && !vscode.workspace.isTrusted) {
    // Restricted Mode: nothing is written into a folder the user has not trusted (the manifest says so too).
    return 'Generate Handler Stub writes code into the workspace, so it waits until you trust this folder (Manage Workspace Trust).';
  }
  const pick = await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Generate a handler stub for {0}', event.type), ignoreFocusOut: true });
  if (!pick) return 'Handler generation cancelled.';
  const creds = workbench.credentials();
  const result = generateHandler({
    language: pick.language,
    framework: pick.framework,
    event,
    knownSecrets: [...creds.kalturaSecrets.map((s) => s.secret), ...creds.basicAuth.map((b) => b.password)],
  });
  const base = await askWhere(pick.language);
  if (!base) return 'Handler generation cancelled.';
  for (const file of result.files) {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(base, ...generatedPathParts(file.path)), Buffer.from(file.contents, 'utf8'));
  }
  const entry = vscode.Uri.joinPath(base, ...result.entry.split('/'));
  // In the group the user is working in: a row of generated handlers must not open a row of new editor groups.
  await vscode.window.showTextDocument(entry, { preview: false, viewColumn: vscode.ViewColumn.Active });
  log.info(`generated a ${pick.label} handler in ${base.fsPath} (${result.files.length} files); run: ${result.commands.run}; test: ${result.commands.test}`);
  return `Generated ${result.files.length} files in ${base.fsPath}. Test: ${result.commands.test}`;
}

const DEFAULT_FOLDER = 'kaltura-webhook-handler';

/**
 * Where to write: a folder in the workspace, `kaltura-webhook-handler` by default (with the language appended when
 * that one is taken), or any folder through the dialog when no workspace is open. An existing non-empty folder is
 * overwritten only when the user says so.
 */
async function askWhere(language: string): Promise<vscode.Uri | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Generate here') });
    return picked?.[0] ? confirmTarget(picked[0]) : undefined;
  }
  const taken = async (name: string) => Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(root, name))).then(() => true, () => false);
  const suggestion = (await taken(DEFAULT_FOLDER)) ? `${DEFAULT_FOLDER}-${language}` : DEFAULT_FOLDER;
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Generate Handler Stub: folder'),
    prompt: vscode.l10n.t('Folder in {0} for the generated project', root.fsPath),
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const v = value.trim();
      if (v === '') return vscode.l10n.t('Give a folder name');
      if (v.startsWith('/') || v.split(/[\\/]/).some((p) => p === '..')) return vscode.l10n.t('Use a folder inside the workspace');
      return undefined;
    },
  });
  if (name === undefined) return undefined;
  return confirmTarget(vscode.Uri.joinPath(root, ...name.trim().split(/[\\/]/).filter(Boolean)));
}

async function confirmTarget(folder: vscode.Uri): Promise<vscode.Uri | undefined> {
  const entries = await Promise.resolve(vscode.workspace.fs.readDirectory(folder)).then((e) => e, () => []);
  if (entries.length === 0) return folder;
  const ok = await vscode.window.showWarningMessage(vscode.l10n.t('{0} is not empty. Overwrite the generated files in it?', folder.fsPath), { modal: true }, vscode.l10n.t('Overwrite'));
  return ok === vscode.l10n.t('Overwrite') ? folder : undefined;
}

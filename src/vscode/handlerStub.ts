// "Generate handler stub": asks for a language and framework, writes the files the core code generator produces
// into the workspace and opens the handler. The workbench's secrets are passed as knownSecrets, so generation
// fails rather than embed one.
import * as vscode from 'vscode';
import type { WebhookEvent } from '../core/events/model';
import type { WorkbenchLog } from './log';
import type { Workbench } from './workbench';

export async function generateHandlerForEvent(event: WebhookEvent, workbench: Workbench, log: WorkbenchLog): Promise<string> {
  const { generateHandler, frameworksByLanguage } = await import('../core/codegen/index');
  if (event.source === 'unknown') {
    throw new Error('This request was not recognised as Kaltura or EnableX, so there is no verification scheme to generate; pick a Kaltura or EnableX event.');
  }
  const choices = (Object.keys(frameworksByLanguage) as Array<keyof typeof frameworksByLanguage>).flatMap((language) =>
    frameworksByLanguage[language].map((framework) => ({
      label: `${language === 'typescript' ? 'TypeScript' : language === 'python' ? 'Python' : 'PHP'} · ${framework}`,
      language,
      framework,
    })),
  );
  const pick = await vscode.window.showQuickPick(choices, { title: `Generate a handler stub for ${event.type}`, ignoreFocusOut: true });
  if (!pick) return 'Handler generation cancelled.';
  const creds = workbench.credentials();
  const result = generateHandler({
    language: pick.language,
    framework: pick.framework,
    event,
    knownSecrets: [...creds.kalturaSecrets.map((s) => s.secret), ...creds.basicAuth.map((b) => b.password)],
  });
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  let base: vscode.Uri | undefined;
  if (root) {
    base = vscode.Uri.joinPath(root, `kaltura-webhook-handler-${pick.language}-${pick.framework}`);
  } else {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Generate here' });
    base = picked?.[0];
  }
  if (!base) return 'Handler generation cancelled.';
  const exists = await Promise.resolve(vscode.workspace.fs.stat(base)).then(() => true, () => false);
  if (exists) {
    const ok = await vscode.window.showWarningMessage(`${base.fsPath} exists. Overwrite the generated files in it?`, { modal: true }, 'Overwrite');
    if (ok !== 'Overwrite') return 'Handler generation cancelled.';
  }
  for (const file of result.files) {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(base, ...file.path.split('/')), Buffer.from(file.contents, 'utf8'));
  }
  const entry = vscode.Uri.joinPath(base, ...result.entry.split('/'));
  await vscode.window.showTextDocument(entry, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  log.info(`generated a ${pick.label} handler in ${base.fsPath} (${result.files.length} files); run: ${result.commands.run}; test: ${result.commands.test}`);
  return `Generated ${result.files.length} files in ${base.fsPath}. Test: ${result.commands.test}`;
}

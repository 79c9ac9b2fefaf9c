// "Edit template": a template opens as a JSON document at kaltura-template:/<id>/<name>.json. Saving validates it
// with the zod template schema (the editor also validates with the JSON schema derived from it) and updates it on
// Kaltura; field errors come back as the save error.
import * as vscode from 'vscode';
import { z } from 'zod';
import { httpNotificationTemplateSchema, type AnyTemplate } from '../core/kaltura/schemas';
import type { WorkbenchLog } from './log';
import type { Workbench } from './workbench';

export const TEMPLATE_SCHEME = 'kaltura-template';

/** Fields the server sets or refuses on update; shown in the document but never sent back. */
const READ_ONLY_FIELDS = ['id', 'partnerId', 'createdAt', 'updatedAt', 'status', 'type', 'objectType', '$schema'] as const;

export function templateUri(template: AnyTemplate): vscode.Uri {
  const slug = (template.systemName || template.name || 'template').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60);
  return vscode.Uri.from({ scheme: TEMPLATE_SCHEME, path: `/${template.id}/${slug}.json` });
}

function idOf(uri: vscode.Uri): number {
  const id = Number(uri.path.split('/')[1]);
  if (!Number.isInteger(id) || id <= 0) throw vscode.FileSystemError.FileNotFound(uri);
  return id;
}

/** Error text with one line per field: "url: Invalid input: expected string". */
export function describeTemplateIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`).join('; ');
}

export class TemplateDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private schemaUri: vscode.Uri | undefined;
  private readonly mtimes = new Map<string, number>();

  constructor(
    private readonly workbench: Workbench,
    private readonly log: WorkbenchLog,
    private readonly storage: vscode.Uri,
    private readonly onSaved: () => void,
  ) {}

  /** Writes the JSON schema derived from the zod schema once; documents reference it through `$schema`. */
  private async ensureSchema(): Promise<vscode.Uri> {
    if (this.schemaUri) return this.schemaUri;
    const schema = z.toJSONSchema(httpNotificationTemplateSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    schema['title'] = 'Kaltura HTTP notification template';
    const props = schema['properties'] as Record<string, unknown> | undefined;
    if (props) props['$schema'] = { type: 'string' };
    const uri = vscode.Uri.joinPath(this.storage, 'template.schema.json');
    await vscode.workspace.fs.createDirectory(this.storage);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(schema, null, 2), 'utf8'));
    this.schemaUri = uri;
    return uri;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    idOf(uri);
    const mtime = this.mtimes.get(uri.toString()) ?? Date.now();
    return { type: vscode.FileType.File, ctime: mtime, mtime, size: 0 };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Templates cannot contain folders.');
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const id = idOf(uri);
    const kaltura = this.workbench.requireKaltura();
    const [template, schema] = await Promise.all([kaltura.templates.get(id), this.ensureSchema()]);
    const doc = { $schema: schema.toString(), ...template };
    this.mtimes.set(uri.toString(), Date.now());
    return Buffer.from(JSON.stringify(doc, null, 2) + '\n', 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const id = idOf(uri);
    const kaltura = this.workbench.requireKaltura();
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(content).toString('utf8'));
    } catch (err) {
      throw new Error(vscode.l10n.t('The template is not valid JSON ({0}); fix the syntax and save again.', err instanceof Error ? err.message : String(err)));
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error(vscode.l10n.t('The template must be a JSON object.'));
    const parsed = httpNotificationTemplateSchema.safeParse({ ...json, id });
    if (!parsed.success) {
      // Thrown only: VS Code's own "Failed to save" notification shows it (a toast of ours made it two).
      throw new Error(vscode.l10n.t('Template {0} was not saved: {1}', id, describeTemplateIssues(parsed.error)));
    }
    const changes: Record<string, unknown> = { ...(json as Record<string, unknown>) };
    for (const f of READ_ONLY_FIELDS) delete changes[f];
    try {
      const updated = await kaltura.templates.update(id, { objectType: (json as { objectType?: string }).objectType ?? 'KalturaHttpNotificationTemplate', ...changes });
      this.log.info(`updated template ${id} (${updated.name ?? updated.systemName ?? ''})`);
      const where = this.workbench.account?.mode === 'sandbox' ? 'the embedded sandbox' : `Kaltura (partner ${this.workbench.account?.partnerId ?? '?'})`;
      void vscode.window.showInformationMessage(vscode.l10n.t('Template {0} saved on {1}.', id, where));
    } catch (err) {
      throw new Error(vscode.l10n.t('Kaltura refused the update of template {0}: {1}', id, err instanceof Error ? err.message : String(err)));
    }
    this.mtimes.set(uri.toString(), Date.now());
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.onSaved();
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Use "Delete Template" to delete a template.');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Templates cannot be renamed here; edit the "name" field.');
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

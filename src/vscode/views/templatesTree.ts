// The Templates view: the partner's notification templates (sandbox or live) and the system templates to register
// from. contextValue carries "template <active|disabled> <http|other> [registered]" for the context menus.
import * as vscode from 'vscode';
import type { AnyTemplate } from '../../core/kaltura/schemas';
import { eventObjectTypeLabel, eventTypeLabel, templateStatusName } from '../../protocol/names';
import { Disposable } from '../disposable';
import { errorMessage, type WorkbenchLog } from '../log';
import type { Workbench } from '../workbench';

export interface TemplateNode {
  kind: 'template';
  template: AnyTemplate;
  system: boolean;
}
interface FolderNode {
  kind: 'folder';
  system: boolean;
}
interface MessageNode {
  kind: 'message';
  text: string;
  icon: string;
}
type Node = TemplateNode | FolderNode | MessageNode;

const HTTP_TYPE = 'httpNotification.Http';

export class TemplatesTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changed = this.register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private partner: AnyTemplate[] = [];
  private system: AnyTemplate[] = [];
  private error: string | undefined;
  private loading: Promise<void> | undefined;
  private loadedFor: string | undefined;

  constructor(
    private readonly workbench: Workbench,
    private readonly log: WorkbenchLog,
  ) {
    super();
    this.register(workbench.onDidChange(() => {
      const key = workbench.state === 'running' ? `${workbench.account?.key}:${workbench.account?.serviceUrl}` : undefined;
      if (key !== this.loadedFor) {
        this.loadedFor = key;
        if (key) void this.refresh();
        else {
          this.partner = [];
          this.system = [];
          this.error = undefined;
          this.changed.fire(undefined);
        }
      }
    }));
  }

  /** Partner templates from the last refresh. */
  partnerTemplates(): AnyTemplate[] {
    return this.partner;
  }

  systemTemplates(): AnyTemplate[] {
    return this.system;
  }

  refresh(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      this.changed.fire(undefined);
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const kaltura = this.workbench.state === 'running' ? this.workbench.kaltura : undefined;
    if (!kaltura) {
      this.partner = [];
      this.system = [];
      this.error = this.workbench.state === 'running' ? (this.workbench.account?.unavailable ?? 'No Kaltura account connected') : undefined;
      return;
    }
    try {
      const [partner, system] = await Promise.all([
        kaltura.templates.listAll(),
        kaltura.templates.listAllTemplates({ typeEqual: HTTP_TYPE }).catch((err) => {
          this.log.warn(`could not list system templates: ${errorMessage(err)}`);
          return [] as AnyTemplate[];
        }),
      ]);
      this.partner = partner.filter((t) => t.status !== 3).sort((a, b) => b.id - a.id);
      this.system = system.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
      this.error = undefined;
    } catch (err) {
      this.error = errorMessage(err);
      this.log.error('could not list templates', err);
    }
  }

  getParent(): undefined {
    return undefined;
  }

  getChildren(node?: Node): Node[] {
    if (this.workbench.state !== 'running') return [];
    if (!node) {
      const rows: Node[] = [];
      if (this.error) rows.push({ kind: 'message', text: this.error, icon: 'error' });
      rows.push(...this.partner.map((template) => ({ kind: 'template' as const, template, system: false })));
      if (this.system.length) rows.push({ kind: 'folder', system: true });
      return rows;
    }
    if (node.kind === 'folder') return this.system.map((template) => ({ kind: 'template' as const, template, system: true }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon(node.icon, new vscode.ThemeColor('errorForeground'));
      item.tooltip = node.text;
      return item;
    }
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem('System templates (register from these)', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = 'folder:system';
      item.description = String(this.system.length);
      item.iconPath = new vscode.ThemeIcon('library');
      item.contextValue = 'systemTemplates';
      return item;
    }
    const t = node.template;
    const registered = this.workbench.registeredIds.has(t.id);
    const status = templateStatusName(t.status) ?? String(t.status ?? '?');
    const isHttp = (t.type ?? HTTP_TYPE) === HTTP_TYPE || t.objectType === 'KalturaHttpNotificationTemplate';
    const item = new vscode.TreeItem(t.name || t.systemName || `Template ${t.id}`);
    item.id = `${node.system ? 'system' : 'partner'}:${t.id}`;
    const parts = [node.system ? 'system' : status.toLowerCase(), eventTypeLabel(t.eventType), eventObjectTypeLabel(t.eventObjectType)];
    if (registered) parts.unshift('registered by workbench');
    item.description = parts.filter(Boolean).join(' · ');
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendText(`#${t.id} ${t.systemName ?? ''}\n`);
    tip.appendText(`Status: ${status}\nType: ${t.type ?? 'unknown'}\n`);
    tip.appendText(`Event: ${eventTypeLabel(t.eventType)} on ${eventObjectTypeLabel(t.eventObjectType)}\n`);
    if (t.url) tip.appendText(`URL: ${t.url}\n`);
    if (registered) tip.appendText('Registered by this workbench: disabled or deleted when you stop (kalturaWebhooks.cleanupPolicy).');
    item.tooltip = tip;
    if (node.system) {
      item.contextValue = 'systemTemplate';
      item.iconPath = new vscode.ThemeIcon('symbol-interface');
      // A click only selects: registering is the row's explicit Register action (a double click must not clone twice).
    } else {
      const active = t.status === 2;
      item.contextValue = ['template', active ? 'active' : 'disabled', isHttp ? 'http' : 'other', registered ? 'registered' : ''].filter(Boolean).join(' ');
      item.iconPath = new vscode.ThemeIcon(
        active ? 'pass-filled' : 'circle-slash',
        active ? new vscode.ThemeColor(registered ? 'testing.iconPassed' : 'foreground') : new vscode.ThemeColor('disabledForeground'),
      );
    }
    return item;
  }

}

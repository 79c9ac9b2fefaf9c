// The Connection view: receiver, webhook URL, tunnel and account. Empty while stopped, so the welcome view
// (with Start / Connect buttons) shows instead.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { Disposable, MutableDisposable } from '../disposable';
import type { Workbench } from '../workbench';
import type { RefreshScheduler } from './refreshScheduler';

interface Row {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  color?: string;
  contextValue?: string;
  command?: vscode.Command;
}

export class ConnectionTreeProvider extends Disposable implements vscode.TreeDataProvider<Row> {
  private readonly changed = this.register(new vscode.EventEmitter<Row | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly storeSubscription = this.register(new MutableDisposable());
  private readonly refresh = () => this.changed.fire(undefined);

  constructor(
    private readonly workbench: Workbench,
    scheduler: RefreshScheduler,
  ) {
    super();
    this.register(workbench.onDidChange(this.refresh));
    // The event count row: redrawn once per refresh window however fast events arrive.
    this.register(workbench.onDidReplaceStore((store) => (this.storeSubscription.value = store.onChange(() => scheduler.schedule(this.refresh)))));
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label);
    item.id = row.id;
    if (row.description !== undefined) item.description = row.description;
    if (row.tooltip !== undefined) item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(row.icon, row.color ? new vscode.ThemeColor(row.color) : undefined);
    if (row.contextValue) item.contextValue = row.contextValue;
    if (row.command) item.command = row.command;
    return item;
  }

  getChildren(row?: Row): Row[] {
    if (row) return [];
    const wb = this.workbench;
    if (wb.state === 'stopped') return [];
    if (wb.state === 'starting' || wb.state === 'stopping') {
      return [{ id: 'state', label: wb.state === 'starting' ? 'Starting…' : 'Stopping…', icon: 'loading~spin' }];
    }
    const rows: Row[] = [];
    const receiver = wb.receiver;
    rows.push({
      id: 'receiver',
      label: 'Receiver',
      description: receiver ? `${receiver.url} · ${receiver.responseMode}` : 'stopped',
      tooltip: receiver ? `Listening on ${receiver.url}; answering ${receiver.responseMode}` : undefined,
      icon: receiver ? 'radio-tower' : 'debug-disconnect',
      color: receiver ? 'testing.iconPassed' : undefined,
      contextValue: 'connection.receiver',
      command: { command: COMMANDS.setResponseMode, title: 'Set Response Mode' },
    });
    const url = wb.webhookUrl();
    rows.push({
      id: 'url',
      label: 'Webhook URL',
      description: url ?? 'none yet (needs a public URL)',
      tooltip: url ? `Templates are pointed at ${url}. Click to copy.` : 'A live account needs a tunnel or an external public URL.',
      icon: 'link',
      contextValue: url ? 'connection.url' : 'connection.nourl',
      ...(url ? { command: { command: COMMANDS.copyWebhookUrl, title: 'Copy Webhook URL' } } : {}),
    });
    const plan = wb.plan;
    const tunnelStatus = wb.tunnel?.status;
    rows.push({
      id: 'tunnel',
      label: 'Tunnel',
      description: plan?.startSandbox
        ? 'not needed (sandbox is local)'
        : tunnelStatus
          ? `${tunnelStatus.kind} · ${tunnelStatus.state}${tunnelStatus.url ? ` · ${tunnelStatus.url}` : ''}`
          : plan?.tunnel === 'none'
            ? 'none (kalturaWebhooks.tunnel.provider)'
            : wb.lastError?.startsWith('tunnel:')
              ? 'failed (click to retry)'
              : 'stopped',
      tooltip: tunnelStatus?.lastError,
      icon: tunnelStatus?.state === 'up' ? 'globe' : 'circle-slash',
      contextValue: tunnelStatus ? 'connection.tunnel.running' : 'connection.tunnel.stopped',
      ...(!plan?.startSandbox && !tunnelStatus && plan?.tunnel !== 'none'
        ? { command: { command: COMMANDS.startTunnel, title: 'Start Tunnel' } }
        : {}),
    });
    const account = wb.account;
    rows.push({
      id: 'account',
      label: 'Account',
      description: !account
        ? 'none'
        : account.mode === 'sandbox'
          ? `sandbox · partner ${account.partnerId} · ${account.serviceUrl}`
          : ['live', account.partnerId ? `partner ${account.partnerId}` : 'no partner id', account.serviceUrl, account.unavailable ? 'not connected' : undefined]
              .filter(Boolean)
              .join(' · '),
      tooltip: account?.unavailable,
      icon: account?.mode === 'sandbox' ? 'beaker' : 'account',
      contextValue: 'connection.account',
      command: { command: COMMANDS.connectAccount, title: 'Connect Kaltura Account' },
    });
    rows.push({
      id: 'events',
      label: 'Events',
      description: String(wb.store.size),
      icon: 'list-tree',
      command: { command: COMMANDS.showEvents, title: 'Show Events' },
    });
    if (wb.lastError) rows.push({ id: 'error', label: 'Last error', description: wb.lastError, tooltip: wb.lastError, icon: 'error', color: 'errorForeground' });
    return rows;
  }

}

// Status bar item: receiver/tunnel state and event count; click opens the Events view.
import * as vscode from 'vscode';
import type { EventStoreApi } from '../core/events/storeTypes';
import { COMMANDS } from './commandIds';
import { Disposable, MutableDisposable } from './disposable';
import type { RefreshScheduler } from './views/refreshScheduler';
import type { Workbench } from './workbench';

export class WorkbenchStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('kalturaWebhooks.status', vscode.StatusBarAlignment.Left, 50));
  private readonly storeSubscription = this.register(new MutableDisposable());
  private readonly refresh = () => this.update();

  constructor(
    private readonly workbench: Workbench,
    private readonly scheduler: RefreshScheduler,
  ) {
    super();
    this.item.name = 'Kaltura Webhooks';
    this.item.command = COMMANDS.showEvents;
    this.register(workbench.onDidChange(() => this.update()));
    this.register(workbench.onDidReplaceStore((s) => this.watch(s)));
    this.update();
    this.item.show();
  }

  /** Watches the store once it exists (the store is created lazily). */
  private watch(store: EventStoreApi): void {
    this.storeSubscription.value = store.onChange((change) => {
      this.scheduler.schedule(this.refresh);
      // A forged or mis-signed request is said once per session, the first time one arrives; the count stays in view.
      if (this.failureShown) return;
      const failed = change.added.find((e) => e.verification.status === 'failed' && (e.origin ?? 'network') === 'network');
      if (!failed) return;
      this.failureShown = true;
      void vscode.window
        .showWarningMessage(vscode.l10n.t('Kaltura Webhooks: a request failed verification: {0}', failed.verification.reason ?? failed.summary), vscode.l10n.t('Show Events'))
        .then((choice) => {
          if (choice === vscode.l10n.t('Show Events')) void vscode.commands.executeCommand(COMMANDS.showEvents);
        });
    });
    this.update();
  }

  private failureShown = false;

  private update(): void {
    const wb = this.workbench;
    const count = wb.hasStore ? wb.store.size : 0;
    const tunnel = wb.tunnel?.status;
    let icon = '$(debug-disconnect)';
    let state = 'stopped';
    if (wb.state === 'starting' || wb.state === 'stopping') {
      icon = '$(loading~spin)';
      state = wb.state;
    } else if (wb.state === 'running') {
      icon = tunnel && tunnel.state !== 'up' ? '$(warning)' : '$(radio-tower)';
      state = wb.plan?.startSandbox ? 'sandbox' : tunnel ? `tunnel ${tunnel.state}` : 'local';
    }
    const failed = wb.hasStore ? wb.store.all().reduce((n, e) => n + (e.verification.status === 'failed' ? 1 : 0), 0) : 0;
    const mode = wb.state === 'running' ? wb.receiver?.responseMode : undefined;
    this.item.text = `${icon} Kaltura ${state} · ${count}${failed ? ` · $(error) ${failed} failed` : ''}${mode && mode !== 'ok' ? ` · answering ${mode}` : ''}`;
    const lines = [
      `Receiver: ${wb.receiver?.url ?? 'stopped'}`,
      `Webhook URL: ${wb.webhookUrl() ?? 'none'}`,
      `Tunnel: ${tunnel ? `${tunnel.kind} ${tunnel.state}${tunnel.url ? ` ${tunnel.url}` : ''}` : 'none'}`,
      `Events: ${count}${failed ? ` (${failed} failed verification)` : ''}`,
      ...(mode && mode !== 'ok' ? [`Response mode: ${mode} (Kaltura will retry)`] : []),
      'Click to show the Events view',
    ];
    this.item.tooltip = lines.join('\n');
    this.item.backgroundColor =
      wb.state === 'running' && tunnel && tunnel.state !== 'up' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }
}

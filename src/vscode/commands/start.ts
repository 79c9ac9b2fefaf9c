// "Start Receiver"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { withProgress } from './deps';
import { offerTunnelAlternatives } from './tunnelAlternatives';
import { defineCommand } from './command';

export const start = defineCommand(COMMANDS.start, (deps) => {
  const { workbench } = deps;
  return async () => {
    if (workbench.state === 'running') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The receiver is already running at {0}.', workbench.receiver?.url ?? ''));
      return;
    }
    await withProgress('Kaltura Webhooks: starting', (progress) => workbench.start(progress));
    if (workbench.lastError?.startsWith('tunnel: ')) {
      // Not "receiver running" beside a failed tunnel: say what failed and offer the other ways to a public URL.
      void offerTunnelAlternatives(deps, workbench.lastError.slice('tunnel: '.length));
      return;
    }
    const url = workbench.webhookUrl();
    const where = workbench.plan?.startSandbox
      ? vscode.l10n.t('with the embedded sandbox (partner {0})', workbench.account?.partnerId ?? '')
      : url ? vscode.l10n.t('at {0}', url) : '';
    void vscode.window.showInformationMessage(vscode.l10n.t('Kaltura Webhooks: receiver running {0}.', where).replace(/\s+\./, '.'));
  };
});

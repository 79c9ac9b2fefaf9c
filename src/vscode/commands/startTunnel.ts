// "Start Tunnel"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { ReceiverNotRunningError } from '../workbench';
import { openTunnel } from './tunnelAlternatives';
import { defineCommand } from './command';

export const startTunnel = defineCommand(COMMANDS.startTunnel, (deps) => {
  const { workbench } = deps;
  return async () => {
    if (workbench.state !== 'running') throw new ReceiverNotRunningError(vscode.l10n.t('The tunnel forwards to the receiver'));
    if (workbench.plan?.startSandbox) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The embedded sandbox reaches the receiver locally; no tunnel is needed. Set kalturaWebhooks.account.mode to "live" to use a tunnel.'));
      return;
    }
    await openTunnel(deps);
  };
});

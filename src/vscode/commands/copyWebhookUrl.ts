// "Copy Webhook URL"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { ReceiverNotRunningError } from '../workbench';
import { defineCommand } from './command';

export const copyWebhookUrl = defineCommand(COMMANDS.copyWebhookUrl, ({ workbench }) => async () => {
  const url = workbench.webhookUrl();
  if (!url) {
    if (workbench.state !== 'running') throw new ReceiverNotRunningError(vscode.l10n.t('The webhook URL is the receiver\'s'));
    throw new Error(
      vscode.l10n.t('There is no public URL yet: start the tunnel, set kalturaWebhooks.tunnel.publicUrl with the "external" provider, or use the "portForwarding" provider in a Codespace or code-server.'),
    );
  }
  await vscode.env.clipboard.writeText(url);
  void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0}', url));
});

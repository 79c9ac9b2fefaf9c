// "Register EnableX Video Webhook…": EnableX has no public API for webhook settings, so this shows the URL and the
// Basic-auth credentials to paste into the portal.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { readSettings } from '../settings';
import { defineCommand } from './command';

export const registerEnablexWebhook = defineCommand(COMMANDS.registerEnablexWebhook, ({ workbench, secrets, log }) => async () => {
  const url = workbench.webhookUrl('enablex');
  if (!url) throw new Error(vscode.l10n.t('Start the receiver (and the tunnel: EnableX calls from the internet) to get a webhook URL.'));
  const username = readSettings().enablexUsername;
  const password = await secrets.enablexPassword(() => randomBytes(18).toString('base64url'));
  log.registerSecret(password);
  await workbench.reloadCredentials();
  const local = workbench.plan?.startSandbox || /^http:\/\/(127\.|localhost)/.test(url);
  const message =
    'EnableX has no API for webhook settings. In the EnableX portal open My Projects → your project → Settings → ' +
    'Manage Configuration → Setup Webhook, paste the URL, tick "HTTP Authentication" and paste the user name and password.' +
    (local ? ' Note: this URL is local; EnableX needs a public one (set kalturaWebhooks.account.mode to live and start the tunnel).' : '');
  for (;;) {
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('{0}\n\nURL: {1}\nUser name: {2}\nPassword: (stored in SecretStorage; use Copy Password)', message, url, username),
      { modal: true },
      vscode.l10n.t('Copy URL'),
      vscode.l10n.t('Copy User Name'),
      vscode.l10n.t('Copy Password'),
    );
    if (!choice) return;
    const value = choice === vscode.l10n.t('Copy URL') ? url : choice === vscode.l10n.t('Copy User Name') ? username : password;
    await vscode.env.clipboard.writeText(value);
    void vscode.window.setStatusBarMessage(`Copied the EnableX ${choice.slice(5).toLowerCase()}`, 3000);
  }
});

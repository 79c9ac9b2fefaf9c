// "Forget Kaltura Account Secrets"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { readSettings } from '../settings';
import { defineCommand } from './command';

export const forgetAccount = defineCommand(COMMANDS.forgetAccount, ({ secrets, log }) => async () => {
  const partnerId = readSettings().partnerId;
  if (!partnerId) throw new Error(vscode.l10n.t('No live partner id is configured (kalturaWebhooks.account.partnerId).'));
  const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Remove the stored secrets of partner {0} from SecretStorage?', partnerId), { modal: true }, vscode.l10n.t('Remove'));
  if (ok !== vscode.l10n.t('Remove')) return;
  await secrets.forgetAccount(partnerId);
  log.info(`removed the stored secrets of partner ${partnerId}`);
});

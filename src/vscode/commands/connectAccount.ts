// "Connect Kaltura Account…": the secrets go to SecretStorage only, once Kaltura accepted them.
import * as vscode from 'vscode';
import type { SessionConfig } from '../../core/kaltura/session';
import { COMMANDS } from '../commandIds';
import { readSettings, updateSetting } from '../settings';
import { restartIfRunning } from './accountRestart';
import { defineCommand } from './command';

export const connectAccount = defineCommand(COMMANDS.connectAccount, (deps) => {
  const { secrets, log } = deps;
  return async () => {
    const mode = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('$(beaker) Embedded sandbox'), description: vscode.l10n.t('local, no account needed'), value: 'sandbox' as const },
        { label: vscode.l10n.t('$(key) Live account with the admin secret'), description: vscode.l10n.t('a KS is generated locally; the secret never leaves this machine'), value: 'adminSecret' as const },
        { label: vscode.l10n.t('$(key) Live account with an app token'), description: vscode.l10n.t('appToken.startSession'), value: 'appToken' as const },
      ],
      { title: vscode.l10n.t('Connect a Kaltura account'), ignoreFocusOut: true },
    );
    if (!mode) return;
    if (mode.value === 'sandbox') {
      await vscode.commands.executeCommand(COMMANDS.useSandbox);
      return;
    }
    const current = readSettings();
    const partnerText = await vscode.window.showInputBox({
      title: vscode.l10n.t('Kaltura partner id'),
      ignoreFocusOut: true,
      prompt: vscode.l10n.t('Find it in the KMC under Settings > Integration Settings.'),
      value: current.partnerId ? String(current.partnerId) : '',
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? undefined : vscode.l10n.t('The partner id is a positive number, e.g. 1234567.')),
    });
    if (!partnerText) return;
    const partnerId = Number(partnerText.trim());
    const serviceUrl = await vscode.window.showInputBox({
      title: vscode.l10n.t('Kaltura service URL'),
      ignoreFocusOut: true,
      value: current.serviceUrl,
      validateInput: (v) => {
        try {
          const u = new URL(v);
          return u.protocol === 'https:' || u.protocol === 'http:' ? undefined : vscode.l10n.t('Use an http(s) URL such as https://www.kaltura.com.');
        } catch {
          return vscode.l10n.t('Use an http(s) URL such as https://www.kaltura.com.');
        }
      },
    });
    if (!serviceUrl) return;
    const base = { partnerId, ...(current.userId ? { userId: current.userId } : {}) };
    // One API call before anything is saved: a wrong secret is said now, in words, with a way to enter it again.
    const confirm = async (session: SessionConfig): Promise<'ok' | 'again' | 'cancel'> => {
      const { checkAccount } = await import('../../core/kaltura/accountCheck');
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking partner {0} at {1}…', partnerId, serviceUrl.trim()) }, () =>
        checkAccount(serviceUrl.trim(), session, { timeoutMs: 15_000 }),
      );
      if (result.ok) return 'ok';
      log.warn(`account check failed: ${result.reason}`);
      const again = result.retry === 'secret' ? vscode.l10n.t('Re-enter Secret') : vscode.l10n.t('Try Again');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0}. Nothing was saved.', result.reason), { modal: true }, again, vscode.l10n.t('Save Anyway'));
      return choice === again ? 'again' : choice === vscode.l10n.t('Save Anyway') ? 'ok' : 'cancel';
    };
    if (mode.value === 'adminSecret') {
      let secret: string | undefined;
      for (;;) {
        secret = (await vscode.window.showInputBox({
          title: vscode.l10n.t('Admin secret of partner {0}', partnerId),
          prompt: vscode.l10n.t('Stored only in VS Code SecretStorage, once Kaltura accepted it. It also verifies X-KALTURA-SIGNATURE.'),
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim().length >= 8 ? undefined : vscode.l10n.t('The admin secret is a 32-character string from the KMC (Integration Settings).')),
        }))?.trim();
        if (!secret) return;
        const verdict = await confirm({ kind: 'localAdminSecret', adminSecret: secret, ...base });
        if (verdict === 'cancel') return;
        if (verdict === 'ok') break;
      }
      await secrets.setAdminSecret(partnerId, secret);
      log.registerSecret(secret);
      await updateSetting('account.authMethod', 'adminSecret');
    } else {
      let tokenId: string | undefined;
      let token: string | undefined;
      let hash: string | undefined;
      for (;;) {
        tokenId = (await vscode.window.showInputBox({ title: vscode.l10n.t('App token id'), ignoreFocusOut: true, value: tokenId ?? current.appTokenId, validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the app token id (e.g. 1_abcd1234).')) }))?.trim();
        if (!tokenId) return;
        token = (await vscode.window.showInputBox({ title: vscode.l10n.t('App token value'), prompt: vscode.l10n.t('Stored only in VS Code SecretStorage, once Kaltura accepted it.'), password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the token value.')) }))?.trim();
        if (!token) return;
        hash = await vscode.window.showQuickPick(['SHA256', 'SHA1', 'SHA512', 'MD5'], { title: vscode.l10n.t('Hash type of the app token'), ignoreFocusOut: true });
        if (!hash) return;
        const verdict = await confirm({ kind: 'appToken', appTokenId: tokenId, appToken: token, hashType: hash as 'SHA256', ...base });
        if (verdict === 'cancel') return;
        if (verdict === 'ok') break;
      }
      await secrets.setAppToken(partnerId, token);
      log.registerSecret(token);
      await updateSetting('account.authMethod', 'appToken');
      await updateSetting('account.appTokenId', tokenId);
      await updateSetting('account.appTokenHashType', hash);
      const secret = await vscode.window.showInputBox({
        title: vscode.l10n.t('Admin secret of partner {0} (optional)', partnerId),
        prompt: vscode.l10n.t('Needed only to verify X-KALTURA-SIGNATURE. Leave empty to skip.'),
        password: true,
        ignoreFocusOut: true,
      });
      if (secret?.trim()) {
        await secrets.setAdminSecret(partnerId, secret.trim());
        log.registerSecret(secret.trim());
      }
    }
    await updateSetting('account.partnerId', partnerId);
    await updateSetting('account.serviceUrl', serviceUrl.trim());
    await updateSetting('account.mode', 'live');
    log.info(`connected live account: partner ${partnerId} at ${serviceUrl.trim()}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Kaltura account {0} connected (secrets are in SecretStorage).', partnerId));
    await restartIfRunning(deps);
  };
});

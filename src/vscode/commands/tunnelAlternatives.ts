// What Start and Start Tunnel offer when the tunnel does not open: the receiver still runs locally, and each button
// is another way to a public URL (retry, a URL the user already runs, VS Code's port forwarding).
import * as vscode from 'vscode';
import { normalisePublicUrl } from '../../core/session/endpointPlan';
import { updateSetting } from '../settings';
import { withProgress, type CommandDeps } from './deps';

const TUNNEL_CHOICES = { RETRY: 'Retry', PUBLIC_URL: 'Use a Public URL…', FORWARDING: 'Use VS Code Port Forwarding' } as const;

/** Opens the tunnel and re-points the registered templates at it; a failure is offered the alternatives. */
export async function openTunnel(deps: CommandDeps): Promise<void> {
  const { workbench, log } = deps;
  try {
    await withProgress('Kaltura Webhooks: opening the tunnel', () => workbench.startTunnel());
  } catch (err) {
    log.error('the tunnel did not start', err);
    void offerTunnelAlternatives(deps, err instanceof Error ? err.message : String(err));
    return;
  }
  await workbench.repointAll();
  void vscode.window.showInformationMessage(vscode.l10n.t('Kaltura Webhooks: public URL {0}', workbench.tunnelUrl ?? ''));
}

export async function offerTunnelAlternatives(deps: CommandDeps, reason: string): Promise<void> {
  const { RETRY, PUBLIC_URL, FORWARDING } = TUNNEL_CHOICES;
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Kaltura Webhooks: the receiver runs locally, but there is no public URL: {0}', reason),
    RETRY,
    PUBLIC_URL,
    FORWARDING,
  );
  if (choice !== RETRY && choice !== PUBLIC_URL && choice !== FORWARDING) return;
  deps.workbench.choosingTunnel = true;
  try {
    await applyTunnelChoice(deps, choice);
  } finally {
    deps.workbench.choosingTunnel = false;
  }
}

async function applyTunnelChoice(deps: CommandDeps, choice: string): Promise<void> {
  const { PUBLIC_URL, FORWARDING } = TUNNEL_CHOICES;
  if (choice === PUBLIC_URL) {
    const url = await vscode.window.showInputBox({
      title: vscode.l10n.t('Public URL that forwards to the receiver'),
      prompt: vscode.l10n.t('An https:// address you already run (ngrok, cloudflared, a reverse proxy) that forwards to port {0} on this machine', deps.workbench.receiver?.port ?? '?'),
      placeHolder: vscode.l10n.t('https://hooks.example.com'),
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          normalisePublicUrl(value.trim());
          return undefined;
        } catch (err) {
          return err instanceof Error ? err.message : String(err);
        }
      },
    });
    if (!url) return;
    await updateSetting('tunnel.publicUrl', url.trim());
    await updateSetting('tunnel.provider', 'external');
  } else if (choice === FORWARDING) {
    await updateSetting('tunnel.provider', 'portForwarding');
  }
  await openTunnel(deps);
}

// Start/stop of the receiver (with sandbox or tunnel), the tunnel on its own, URL, response mode, views and log.
import * as vscode from 'vscode';
import type { ResponseMode } from '../../core/events/model';
import { COMMANDS, VIEWS } from '../commandIds';
import { normalisePublicUrl } from '../../core/session/endpointPlan';
import { updateSetting } from '../settings';
import { register, reportCleanup, withProgress, type CommandDeps } from './deps';
import { ReceiverNotRunningError } from '../workbench';

const TUNNEL_CHOICES = { RETRY: 'Retry', PUBLIC_URL: 'Use a Public URL…', FORWARDING: 'Use VS Code Port Forwarding' } as const;

export function registerLifecycleCommands(deps: CommandDeps): void {
  const { workbench, log } = deps;

  register(deps, COMMANDS.start, async () => {
    if (workbench.state === 'running') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The receiver is already running at {0}.', workbench.receiver?.url ?? ''));
      return;
    }
    await withProgress('Kaltura Webhooks: starting', (progress) => workbench.start(progress));
    if (workbench.lastError?.startsWith('tunnel: ')) {
      // Not "receiver running" beside a failed tunnel: say what failed and offer the other ways to a public URL.
      void offerTunnelAlternatives(workbench.lastError.slice('tunnel: '.length));
      return;
    }
    const url = workbench.webhookUrl();
    const where = workbench.plan?.startSandbox
      ? vscode.l10n.t('with the embedded sandbox (partner {0})', workbench.account?.partnerId ?? '')
      : url ? vscode.l10n.t('at {0}', url) : '';
    void vscode.window.showInformationMessage(vscode.l10n.t('Kaltura Webhooks: receiver running {0}.', where).replace(/\s+\./, '.'));
  });

  register(deps, COMMANDS.stop, async () => {
    const outcomes = await withProgress('Kaltura Webhooks: stopping', async (progress) => {
      progress.report({ message: vscode.l10n.t('cleaning up registered templates…') });
      return workbench.stop();
    });
    if (outcomes.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Kaltura Webhooks: stopped.'));
    else reportCleanup(deps, outcomes, outcomes[0]?.action === 'deleted' ? 'deleted' : 'disabled', 'Kaltura Webhooks: stopped. ');
  });

  register(deps, COMMANDS.startTunnel, async () => {
    if (workbench.state !== 'running') throw new ReceiverNotRunningError(vscode.l10n.t('The tunnel forwards to the receiver'));
    if (workbench.plan?.startSandbox) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The embedded sandbox reaches the receiver locally; no tunnel is needed. Set kalturaWebhooks.account.mode to "live" to use a tunnel.'));
      return;
    }
    await openTunnel();
  });

  async function openTunnel(): Promise<void> {
    try {
      await withProgress('Kaltura Webhooks: opening the tunnel', () => workbench.startTunnel());
    } catch (err) {
      log.error('the tunnel did not start', err);
      void offerTunnelAlternatives(err instanceof Error ? err.message : String(err));
      return;
    }
    await workbench.repointAll();
    void vscode.window.showInformationMessage(vscode.l10n.t('Kaltura Webhooks: public URL {0}', workbench.tunnelUrl ?? ''));
  }

  /** The tunnel failed: the receiver still runs locally; each button is another way to a public URL. */
  async function offerTunnelAlternatives(reason: string): Promise<void> {
    const { RETRY, PUBLIC_URL, FORWARDING } = TUNNEL_CHOICES;
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Kaltura Webhooks: the receiver runs locally, but there is no public URL: {0}', reason),
      RETRY,
      PUBLIC_URL,
      FORWARDING,
    );
    if (choice !== RETRY && choice !== PUBLIC_URL && choice !== FORWARDING) return;
    workbench.choosingTunnel = true;
    try {
      await applyTunnelChoice(choice);
    } finally {
      workbench.choosingTunnel = false;
    }
  }

  async function applyTunnelChoice(choice: string): Promise<void> {
    const { PUBLIC_URL, FORWARDING } = TUNNEL_CHOICES;
    if (choice === PUBLIC_URL) {
      const url = await vscode.window.showInputBox({
        title: vscode.l10n.t('Public URL that forwards to the receiver'),
        prompt: vscode.l10n.t('An https:// address you already run (ngrok, cloudflared, a reverse proxy) that forwards to port {0} on this machine', workbench.receiver?.port ?? '?'),
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
    await openTunnel();
  }

  register(deps, COMMANDS.stopTunnel, async () => {
    await workbench.stopTunnel();
  });

  register(deps, COMMANDS.copyWebhookUrl, async () => {
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

  register(deps, COMMANDS.setResponseMode, async () => {
    const modes: Array<{ label: string; description: string; mode: ResponseMode }> = [
      { label: '200 OK', description: 'Kaltura counts the delivery as done', mode: 'ok' },
      { label: '500 Internal Server Error', description: 'Kaltura retries the same job (same job id)', mode: 'fail-500' },
      { label: 'Timeout', description: 'hold the request until the sender gives up', mode: 'timeout' },
    ];
    const pick = await vscode.window.showQuickPick(modes, { title: vscode.l10n.t('How should the receiver answer?') });
    if (!pick) return;
    await updateSetting('responseMode', pick.mode);
    workbench.setResponseMode(pick.mode);
    log.info(`response mode: ${pick.mode}`);
  });

  register(deps, COMMANDS.showEvents, async () => {
    await vscode.commands.executeCommand(`${VIEWS.events}.focus`);
  });

  register(deps, COMMANDS.showLog, () => log.show());
}

// Start/stop of the receiver (with sandbox or tunnel), the tunnel on its own, URL, response mode, views and log.
import * as vscode from 'vscode';
import type { ResponseMode } from '../../core/events/model';
import { COMMANDS, VIEWS } from '../commandIds';
import { updateSetting } from '../settings';
import { register, withProgress, type CommandDeps } from './deps';

export function registerLifecycleCommands(deps: CommandDeps): void {
  const { workbench, log } = deps;

  register(deps, COMMANDS.start, async () => {
    if (workbench.state === 'running') {
      void vscode.window.showInformationMessage(`The receiver is already running at ${workbench.receiver?.url}.`);
      return;
    }
    await withProgress('Kaltura Webhooks: starting', (progress) => workbench.start(progress));
    const url = workbench.webhookUrl();
    const where = workbench.plan?.startSandbox ? `with the embedded sandbox (partner ${workbench.account?.partnerId})` : url ? `at ${url}` : '';
    void vscode.window.showInformationMessage(`Kaltura Webhooks: receiver running ${where}.`.replace(/\s+\./, '.'));
  });

  register(deps, COMMANDS.stop, async () => {
    const outcomes = await withProgress('Kaltura Webhooks: stopping', async (progress) => {
      progress.report({ message: 'cleaning up registered templates…' });
      return workbench.stop();
    });
    const done = outcomes.filter((o) => o.ok).length;
    const failed = outcomes.filter((o) => !o.ok);
    const summary = outcomes.length
      ? ` ${done} registered template(s) ${outcomes[0]?.action === 'deleted' ? 'deleted' : 'disabled'}${failed.length ? `, ${failed.length} failed (see the log)` : ''}.`
      : '';
    void vscode.window.showInformationMessage(`Kaltura Webhooks: stopped.${summary}`);
  });

  register(deps, COMMANDS.startTunnel, async () => {
    if (workbench.state !== 'running') throw new Error('Start the receiver first ("Kaltura Webhooks: Start Receiver").');
    if (workbench.plan?.startSandbox) {
      void vscode.window.showInformationMessage('The embedded sandbox reaches the receiver locally; no tunnel is needed. Set kalturaWebhooks.account.mode to "live" to use a tunnel.');
      return;
    }
    await withProgress('Kaltura Webhooks: opening the tunnel', () => workbench.startTunnel());
    await workbench.repointAll();
    void vscode.window.showInformationMessage(`Tunnel up: ${workbench.tunnelUrl}`);
  });

  register(deps, COMMANDS.stopTunnel, async () => {
    await workbench.stopTunnel();
  });

  register(deps, COMMANDS.copyWebhookUrl, async () => {
    const url = workbench.webhookUrl();
    if (!url) {
      throw new Error(
        workbench.state !== 'running'
          ? 'The receiver is not running; start it first.'
          : 'There is no public URL yet: start the tunnel, set kalturaWebhooks.tunnel.publicUrl with the "external" provider, or use the "portForwarding" provider in a Codespace or code-server.',
      );
    }
    await vscode.env.clipboard.writeText(url);
    void vscode.window.showInformationMessage(`Copied ${url}`);
  });

  register(deps, COMMANDS.setResponseMode, async () => {
    const modes: Array<{ label: string; description: string; mode: ResponseMode }> = [
      { label: '200 OK', description: 'Kaltura counts the delivery as done', mode: 'ok' },
      { label: '500 Internal Server Error', description: 'Kaltura retries the same job (same job id)', mode: 'fail-500' },
      { label: 'Timeout', description: 'hold the request until the sender gives up', mode: 'timeout' },
    ];
    const pick = await vscode.window.showQuickPick(modes, { title: 'How should the receiver answer?' });
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

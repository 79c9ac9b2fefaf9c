// Forwarding while debugging, as the Stripe extension does it: a launch configuration with
// `"kalturaWebhooksForwardTo": "http://localhost:3000/webhooks/kaltura"` sends every delivery the receiver gets to the
// app being debugged, from the moment the session starts until it ends. Debugging needs a trusted workspace; the
// attribute is ignored anywhere else, because a launch.json could otherwise send the user's events elsewhere.
import * as vscode from 'vscode';
import type { AutoForwarder } from './autoForward';
import { COMMANDS } from './commandIds';
import { debugForwardTarget } from './debugForwardTarget';
import type { WorkbenchLog } from './log';
import type { Workbench } from './workbench';

export class DebugForwarding {
  constructor(
    private readonly workbench: Workbench,
    private readonly forwarder: AutoForwarder,
    private readonly log: WorkbenchLog,
  ) {}

  started(session: vscode.DebugSession): void {
    const target = debugForwardTarget(session.configuration);
    if (!target) return;
    if ('error' in target) {
      this.log.warn(`debug session "${session.name}": ${target.error}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Kaltura Webhooks: launch configuration "{0}": {1}', session.name, target.error));
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.log.warn(`debug session "${session.name}": kalturaWebhooksForwardTo is ignored in Restricted Mode`);
      return;
    }
    this.forwarder.forwardWhileDebugging(session.id, target.url);
    this.log.info(`debug session "${session.name}": forwarding every delivery to ${target.url} until it ends`);
    if (this.workbench.state === 'running') return;
    void vscode.window
      .showInformationMessage(vscode.l10n.t('Kaltura Webhooks: "{0}" forwards deliveries to {1} once the receiver runs.', session.name, target.url), vscode.l10n.t('Start Receiver'))
      .then((choice) => {
        if (choice === vscode.l10n.t('Start Receiver')) void vscode.commands.executeCommand(COMMANDS.start);
      });
  }

  ended(session: vscode.DebugSession): void {
    const url = this.forwarder.stopDebugForwarding(session.id);
    if (url) this.log.info(`debug session "${session.name}" ended: forwarding to ${url} stopped`);
  }
}

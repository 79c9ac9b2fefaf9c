// "Trigger Sample Event…"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { loadSamples } from '../coreAdapter';
import { withProgress } from './deps';
import { ReceiverNotRunningError } from '../workbench';
import { defineCommand } from './command';

export const triggerSample = defineCommand(COMMANDS.triggerSample, ({ workbench, log }) => async (kindArg?: unknown) => {
  const receiver = workbench.receiver;
  if (!receiver) throw new ReceiverNotRunningError(vscode.l10n.t('Samples are sent to the receiver over HTTP'));
  const samples = await loadSamples();
  let kind = typeof kindArg === 'string' ? kindArg : undefined;
  if (!kind) {
    const pick = await vscode.window.showQuickPick(
      samples.kinds.map((k) => ({ label: k.label, description: k.kind, detail: k.description, sampleKind: k.kind })),
      { title: vscode.l10n.t('Trigger a sample event (signed like the real sender)'), matchOnDescription: true, ignoreFocusOut: true },
    );
    if (!pick) return;
    kind = pick.sampleKind;
  }
  const sampleKind = kind;
  const result = await withProgress('Kaltura Webhooks: sending a sample event', () =>
    samples.send(sampleKind, receiver, workbench.credentials(), workbench.account?.partnerId),
  );
  log.info(`sample ${sampleKind} sent to the receiver: HTTP ${result.status}`);
  await vscode.commands.executeCommand(COMMANDS.showEvents);
  return result;
});

// "Send Request"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { REQUEST_SCHEME } from '../requestDocuments';
import { customSampleKey } from './customSamples';
import { defineCommand } from './command';

export const sendRequestDocument = defineCommand(COMMANDS.sendRequestDocument, (deps) => async (arg?: unknown) => {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== REQUEST_SCHEME) throw new Error(vscode.l10n.t('Open a request with Edit and Replay… or Trigger Custom Sample Event… first.'));
  const sent = await deps.requests.send(uri);
  if (sent.sampleKind) await deps.context.globalState.update(customSampleKey(sent.sampleKind), sent.text);
  const ms = Math.round(sent.durationMs);
  void vscode.window.showInformationMessage(
    sent.document.sendTo === 'receiver'
      ? vscode.l10n.t('Sent to the receiver: HTTP {0} in {1} ms. The new delivery appears in the Events view.', sent.status, ms)
      : vscode.l10n.t('Sent to {0}: HTTP {1} in {2} ms.', sent.url, sent.status, ms),
  );
  return { status: sent.status };
});

// "Edit and Replay…"
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { resolveEvent } from './deps';
import { defineCommand } from './command';

export const editAndReplay = defineCommand(COMMANDS.editAndReplay, (deps) => async (arg?: unknown) => {
  const event = await resolveEvent(deps, arg);
  if (!event) return undefined;
  if (event.request.bodyTruncated) throw new Error(vscode.l10n.t('Event {0} was cut at the body limit; only the full request can be edited and replayed.', event.id));
  const { requestDocumentFor } = await import('../../core/forward/requestDocument');
  const doc = requestDocumentFor(event.request, { sendTo: 'receiver', replayOf: event.id });
  const uri = await deps.requests.open(`replay-${event.id}`, doc, event.request);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Edit the request, then Send Request (the editor\'s title bar). "signature": "resign" signs the new body with your secret; "keep" sends the original signature; "unsigned" sends none. "sendTo": "app" sends it to kalturaWebhooks.forwardUrl.'),
  );
  return uri.toString();
});

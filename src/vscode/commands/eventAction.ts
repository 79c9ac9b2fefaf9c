// Replay, Forward, Copy as curl and Generate Handler are the inspector's actions run from a menu or the palette: the
// same code (eventActions.ts) for the event the command is about, with its outcome as a notification.
import * as vscode from 'vscode';
import type { InspectorAction } from '../inspector/protocol';
import { defineCommand, type CommandId, type WorkbenchCommand } from './command';
import { resolveEvent } from './deps';

export function eventActionCommand(id: CommandId, action: InspectorAction): WorkbenchCommand {
  return defineCommand(id, (deps) => async (arg?: unknown) => {
    const event = await resolveEvent(deps, arg);
    if (!event) return;
    const message = await deps.actions.run(action, event.id);
    if (!/cancelled/.test(message)) void vscode.window.showInformationMessage(message);
  });
}

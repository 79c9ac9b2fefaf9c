// "Show Events"
import * as vscode from 'vscode';
import { COMMANDS, VIEWS } from '../commandIds';
import { defineCommand } from './command';

export const showEvents = defineCommand(COMMANDS.showEvents, () => async () => {
  await vscode.commands.executeCommand(`${VIEWS.events}.focus`);
});

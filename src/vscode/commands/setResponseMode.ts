// "Set Receiver Response Mode…"
import * as vscode from 'vscode';
import type { ResponseMode } from '../../core/events/model';
import { COMMANDS } from '../commandIds';
import { updateSetting } from '../settings';
import { defineCommand } from './command';

export const setResponseMode = defineCommand(COMMANDS.setResponseMode, ({ workbench, log }) => async () => {
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

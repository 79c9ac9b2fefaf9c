// Every command, one file each, registered in one place. The activation bundle registered the ids already (so
// VS Code can show and run them before the core loads); this gives each its handler, wrapped by register() so a
// failure is reported once with what to do next.
import type { WorkbenchCommand } from './command';
import { register, type CommandDeps } from './deps';
import { start } from './start';
import { stop } from './stop';
import { startTunnel } from './startTunnel';
import { stopTunnel } from './stopTunnel';
import { copyWebhookUrl } from './copyWebhookUrl';
import { connectAccount } from './connectAccount';
import { useSandbox } from './useSandbox';
import { forgetAccount } from './forgetAccount';
import { registerWebhook } from './registerWebhook';
import { refreshTemplates } from './refreshTemplates';
import { dispatchTemplate } from './dispatchTemplate';
import { editTemplate } from './editTemplate';
import { enableTemplate } from './enableTemplate';
import { disableTemplate } from './disableTemplate';
import { deleteTemplate } from './deleteTemplate';
import { repointTemplate } from './repointTemplate';
import { cleanupTemplates } from './cleanupTemplates';
import { triggerSample } from './triggerSample';
import { triggerCustomSample } from './triggerCustomSample';
import { openEvent } from './openEvent';
import { replayEvent } from './replayEvent';
import { editAndReplay } from './editAndReplay';
import { sendRequestDocument } from './sendRequestDocument';
import { forwardEvent } from './forwardEvent';
import { copyAsCurl } from './copyAsCurl';
import { openRawBody } from './openRawBody';
import { generateHandler } from './generateHandler';
import { exportEvents } from './exportEvents';
import { clearEvents } from './clearEvents';
import { filterEvents } from './filterEvents';
import { clearEventFilter } from './clearEventFilter';
import { viewEventsAsList } from './viewEventsAsList';
import { viewEventsAsGroups } from './viewEventsAsGroups';
import { setResponseMode } from './setResponseMode';
import { registerEnablexWebhook } from './registerEnablexWebhook';
import { triggerEnablexSample } from './triggerEnablexSample';
import { showEvents } from './showEvents';
import { showLog } from './showLog';

export const WORKBENCH_COMMANDS: readonly WorkbenchCommand[] = [
  start,
  stop,
  startTunnel,
  stopTunnel,
  copyWebhookUrl,
  connectAccount,
  useSandbox,
  forgetAccount,
  registerWebhook,
  refreshTemplates,
  dispatchTemplate,
  editTemplate,
  enableTemplate,
  disableTemplate,
  deleteTemplate,
  repointTemplate,
  cleanupTemplates,
  triggerSample,
  triggerCustomSample,
  openEvent,
  replayEvent,
  editAndReplay,
  sendRequestDocument,
  forwardEvent,
  copyAsCurl,
  openRawBody,
  generateHandler,
  exportEvents,
  clearEvents,
  filterEvents,
  clearEventFilter,
  viewEventsAsList,
  viewEventsAsGroups,
  setResponseMode,
  registerEnablexWebhook,
  triggerEnablexSample,
  showEvents,
  showLog,
];

export function registerCommands(deps: CommandDeps): void {
  for (const command of WORKBENCH_COMMANDS) register(deps, command.id, command.create(deps));
}

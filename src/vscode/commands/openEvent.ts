// "Open in Payload Inspector"
import { COMMANDS } from '../commandIds';
import { resolveEvent } from './deps';
import { defineCommand } from './command';

export const openEvent = defineCommand(COMMANDS.openEvent, (deps) => async (arg?: unknown) => {
  const event = await resolveEvent(deps, arg);
  if (event) (await deps.inspector()).show(event.id);
});

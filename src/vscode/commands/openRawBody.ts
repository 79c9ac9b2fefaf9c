// "Open Raw Body in Editor"
import { COMMANDS } from '../commandIds';
import { resolveEvent } from './deps';
import { defineCommand } from './command';

export const openRawBody = defineCommand(COMMANDS.openRawBody, (deps) => {
  const { actions } = deps;
  return async (arg?: unknown) => {
    const event = await resolveEvent(deps, arg);
    if (event) await actions.openRaw(event);
  };
});

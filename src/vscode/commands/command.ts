// A command of the extension: its id (from the one registry, commandIds.ts) and how its handler is made from what
// every command receives. One file per command defines one; index.ts lists them all and registers them.
import type { COMMANDS } from '../commandIds';
import type { CommandDeps, CommandHandler } from './deps';

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

export interface WorkbenchCommand {
  readonly id: CommandId;
  /** Called once, when the core registers the commands. */
  readonly create: (deps: CommandDeps) => CommandHandler;
}

export function defineCommand(id: CommandId, create: (deps: CommandDeps) => CommandHandler): WorkbenchCommand {
  return { id, create };
}

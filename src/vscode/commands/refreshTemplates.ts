// "Refresh Templates"
import { COMMANDS } from '../commandIds';
import { defineCommand } from './command';

export const refreshTemplates = defineCommand(COMMANDS.refreshTemplates, ({ templatesTree }) => () => templatesTree.refresh());

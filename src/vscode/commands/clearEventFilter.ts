// "Clear Event Filter"
import { COMMANDS } from '../commandIds';
import { defineCommand } from './command';

export const clearEventFilter = defineCommand(COMMANDS.clearEventFilter, ({ eventsTree }) => () => eventsTree.setFilter({}));

// "View Events as List (Newest First)"
import { COMMANDS } from '../commandIds';
import { showEventsAs } from './eventsViewMode';
import { defineCommand } from './command';

export const viewEventsAsList = defineCommand(COMMANDS.viewEventsAsList, (deps) => () => showEventsAs(deps, 'list'));

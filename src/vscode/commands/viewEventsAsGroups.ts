// "View Events by Template"
import { COMMANDS } from '../commandIds';
import { showEventsAs } from './eventsViewMode';
import { defineCommand } from './command';

export const viewEventsAsGroups = defineCommand(COMMANDS.viewEventsAsGroups, (deps) => () => showEventsAs(deps, 'grouped'));

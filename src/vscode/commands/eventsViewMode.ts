// The Events view's list/groups switch, remembered per workspace.
import { EVENTS_VIEW_MODE_KEY, type EventsViewMode } from '../views/eventsTree';
import type { CommandDeps } from './deps';

export function showEventsAs(deps: CommandDeps, mode: EventsViewMode): void {
  deps.eventsTree.setMode(mode);
  void deps.context.workspaceState.update(EVENTS_VIEW_MODE_KEY, mode);
}

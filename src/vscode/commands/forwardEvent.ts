// "Forward to Local App…"
import { COMMANDS } from '../commandIds';
import { eventActionCommand } from './eventAction';

export const forwardEvent = eventActionCommand(COMMANDS.forwardEvent, 'forward');

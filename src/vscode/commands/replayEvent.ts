// "Replay to Receiver"
import { COMMANDS } from '../commandIds';
import { eventActionCommand } from './eventAction';

export const replayEvent = eventActionCommand(COMMANDS.replayEvent, 'replay');

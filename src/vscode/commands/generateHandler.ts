// "Generate Handler Stub…"
import { COMMANDS } from '../commandIds';
import { eventActionCommand } from './eventAction';

export const generateHandler = eventActionCommand(COMMANDS.generateHandler, 'generateHandler');

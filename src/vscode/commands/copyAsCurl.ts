// "Copy as curl"
import { COMMANDS } from '../commandIds';
import { eventActionCommand } from './eventAction';

export const copyAsCurl = eventActionCommand(COMMANDS.copyAsCurl, 'copyCurl');

// "Show Log"
import { COMMANDS } from '../commandIds';
import { defineCommand } from './command';

export const showLog = defineCommand(COMMANDS.showLog, ({ log }) => () => log.show());

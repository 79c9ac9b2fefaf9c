// "Enable Template"
import { COMMANDS } from '../commandIds';
import { setTemplateStatus } from './templateStatus';
import { defineCommand } from './command';

export const enableTemplate = defineCommand(COMMANDS.enableTemplate, (deps) => setTemplateStatus(deps, true));

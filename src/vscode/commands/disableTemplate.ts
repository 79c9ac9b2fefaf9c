// "Disable Template"
import { COMMANDS } from '../commandIds';
import { setTemplateStatus } from './templateStatus';
import { defineCommand } from './command';

export const disableTemplate = defineCommand(COMMANDS.disableTemplate, (deps) => setTemplateStatus(deps, false));

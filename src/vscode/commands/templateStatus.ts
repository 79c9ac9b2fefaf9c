// Enable and Disable Template are one action with two directions.
import { TemplateStatus } from '../../core/kaltura/schemas';
import type { CommandDeps, CommandHandler } from './deps';
import { pickPartnerTemplate } from './templatePick';

export function setTemplateStatus(deps: CommandDeps, enable: boolean): CommandHandler {
  const { workbench, templatesTree, log } = deps;
  return async (arg?: unknown) => {
    const kaltura = workbench.requireKaltura();
    const template = await pickPartnerTemplate(deps, arg, enable ? 'Enable which template?' : 'Disable which template?');
    if (!template) return;
    if (enable) await kaltura.templates.activate(template.id);
    else await kaltura.templates.updateStatus(template.id, TemplateStatus.DISABLED);
    log.info(`${enable ? 'enabled' : 'disabled'} template ${template.id}`);
    await templatesTree.refresh();
  };
}

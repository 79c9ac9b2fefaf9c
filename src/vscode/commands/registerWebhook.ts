// "Register Webhook…"
import * as vscode from 'vscode';
import type { KalturaConnection } from '../../core/kaltura/connection';
import type { TemplateRegistry } from '../../core/kaltura/registration';
import { eventObjectTypeLabel, eventTypeLabel } from '../../protocol/names';
import { HTTP_TEMPLATE_TYPE, TemplateStatus, type AnyTemplate } from '../../core/kaltura/schemas';
import { COMMANDS } from '../commandIds';
import { withProgress } from './deps';
import { templateLabel } from './templatePick';
import { defineCommand } from './command';

export const registerWebhook = defineCommand(COMMANDS.registerWebhook, (deps) => {
  const { workbench, templatesTree, log } = deps;
  // Registrations under way, by system template id.
  const registering = new Map<number, Promise<number>>();

  async function registerUnlessActive(id: number, registry: TemplateRegistry, kaltura: KalturaConnection, base: string): Promise<number> {
    for (const record of await registry.ownRecords()) {
      if (record.sourceId !== id || record.id === undefined) continue;
      const template = await kaltura.templates.get(record.id).catch(() => undefined);
      if (template?.status === TemplateStatus.ACTIVE) {
        void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" (#{1}) is already registered and active; no second clone was made.', templateLabel(template), template.id));
        return template.id;
      }
    }
    const result = await withProgress('Kaltura Webhooks: registering webhook', async (progress) => {
      progress.report({ message: vscode.l10n.t('cloning, pointing and activating…') });
      return workbench.registerTemplate(id, base);
    });
    log.info(`registered template ${result.template.id} (${templateLabel(result.template)}) → ${result.url}`);
    for (const note of result.notApplied) log.info(`template ${result.template.id}: ${note}`);
    await templatesTree.refresh();
    // Not awaited: the command resolves once the template is registered, whatever the user does with the toast.
    void vscode.window
      .showInformationMessage(
        result.notApplied.length
          ? vscode.l10n.t('Registered "{0}" (#{1}) → {2}. Note: {3}.', templateLabel(result.template), result.template.id, result.url, result.notApplied.join('; '))
          : vscode.l10n.t('Registered "{0}" (#{1}) → {2}', templateLabel(result.template), result.template.id, result.url),
        vscode.l10n.t('Dispatch Now'),
      )
      .then((choice) => {
        if (choice === vscode.l10n.t('Dispatch Now')) void vscode.commands.executeCommand(COMMANDS.dispatchTemplate, result.template.id);
      });
    return result.template.id;
  }

  return async (arg?: unknown) => {
    const kaltura = workbench.requireKaltura();
    const registry = workbench.registry;
    const base = workbench.webhookUrl();
    if (!registry) throw new Error(vscode.l10n.t('The template registry is not ready; restart the receiver.'));
    if (!base) throw new Error(vscode.l10n.t('There is no public URL for Kaltura to call yet: start the tunnel ("Kaltura Webhooks: Start Tunnel") or set kalturaWebhooks.tunnel.publicUrl.'));
    // A tree node is used only when it is a system template: the title-bar "+" may be handed the selected row,
    // which can be one of the partner's own templates.
    let sourceId: number | undefined =
      typeof arg === 'number'
        ? arg
        : arg && typeof arg === 'object' && 'template' in arg && (arg as { system?: boolean }).system === true
          ? (arg as { template: AnyTemplate }).template.id
          : undefined;
    if (sourceId === undefined) {
      // Status-bar progress: a short load should not leave a toast behind.
      const system = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading Kaltura system templates') }, () =>
        kaltura.templates.listAllTemplates({ typeEqual: HTTP_TEMPLATE_TYPE }),
      );
      if (!system.length) throw new Error(vscode.l10n.t('The server lists no HTTP system templates (listTemplates typeEqual=httpNotification.Http returned none).'));
      const pick = await vscode.window.showQuickPick(
        system
          .sort((a, b) => templateLabel(a).localeCompare(templateLabel(b)))
          .map((t) => ({
            label: templateLabel(t),
            description: `${eventTypeLabel(t.eventType)} · ${eventObjectTypeLabel(t.eventObjectType)}`,
            detail: t.systemName,
            id: t.id,
          })),
        { title: vscode.l10n.t('Register a webhook: pick a system template to clone'), matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
      );
      if (!pick) return;
      sourceId = pick.id;
    }
    const id = sourceId;
    // Idempotent: a second request for the same system template while one is under way (a double click), or while
    // its clone is registered and active, gets that clone instead of a second one. The guard is set before anything
    // is awaited, so two requests cannot both find "no clone yet".
    const inFlight = registering.get(id);
    if (inFlight) return inFlight;
    const run = registerUnlessActive(id, registry, kaltura, base);
    registering.set(id, run);
    try {
      return await run;
    } finally {
      registering.delete(id);
    }
  };
});

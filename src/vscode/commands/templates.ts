// Template commands: register (clone + point + activate), refresh, dispatch, edit, enable/disable, re-point, delete,
// cleanup. The Kaltura calls are the core template service and registration workflow.
import * as vscode from 'vscode';
import type { KalturaConnection } from '../../core/kaltura/connection';
import { KALTURA_TEMPLATE_PATH_PREFIX, registerWebhook, templateUrl, type TemplateRegistry } from '../../core/kaltura/registration';
import type { WebhookEvent } from '../../core/events/model';
import { planTrigger, triggerTemplate, waitForEntryProcessed } from '../../core/kaltura/trigger';
import { entryStatusName, eventObjectTypeLabel, eventTypeLabel } from '../../protocol/names';
import { HTTP_TEMPLATE_TYPE, TemplateStatus, type AnyTemplate } from '../../core/kaltura/schemas';
import { COMMANDS } from '../commandIds';
import { templateUri } from '../templateDocuments';
import { register, reportCleanup, withProgress, type CommandDeps } from './deps';

function templateLabel(t: AnyTemplate): string {
  return t.name || t.systemName || `Template ${t.id}`;
}

async function pickPartnerTemplate(deps: CommandDeps, arg: unknown, title: string): Promise<AnyTemplate | undefined> {
  const kaltura = deps.workbench.requireKaltura();
  if (arg && typeof arg === 'object' && 'template' in arg) return (arg as { template: AnyTemplate }).template;
  if (typeof arg === 'number' || (typeof arg === 'string' && /^\d+$/.test(arg))) return kaltura.templates.get(Number(arg));
  await deps.templatesTree.refresh();
  const templates = deps.templatesTree.partnerTemplates();
  if (!templates.length) throw new Error(vscode.l10n.t('The account has no templates yet. Run "Kaltura Webhooks: Register Webhook…" first.'));
  const pick = await vscode.window.showQuickPick(
    templates.map((t) => ({
      label: templateLabel(t),
      description: `#${t.id} · ${t.status === TemplateStatus.ACTIVE ? 'active' : 'disabled'}${deps.workbench.registeredIds.has(t.id) ? ' · registered by workbench' : ''}`,
      detail: `${eventTypeLabel(t.eventType)} on ${eventObjectTypeLabel(t.eventObjectType)}${t.url ? ` → ${t.url}` : ''}`,
      template: t,
    })),
    { title, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return pick?.template;
}

export function registerTemplateCommands(deps: CommandDeps): void {
  const { workbench, templatesTree, log } = deps;

  register(deps, COMMANDS.refreshTemplates, () => templatesTree.refresh());

  // Registrations under way, by system template id.
  const registering = new Map<number, Promise<number>>();

  register(deps, COMMANDS.registerWebhook, async (arg?: unknown) => {
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
  });

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
      return registerWebhook({ registry, template: id, publicBaseUrl: base, workspaceToken: workbench.workspaceToken });
    });
    log.info(`registered template ${result.template.id} (${templateLabel(result.template)}) → ${result.url}`);
    for (const note of result.notApplied) log.info(`template ${result.template.id}: ${note}`);
    await workbench.syncRegisteredIds();
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

  // Dispatch: Kaltura's `dispatch` when the template allows it; otherwise (every clone made by an ordinary partner)
  // the event the template listens to is caused for real (core/kaltura/trigger.ts), here and against a live account.
  register(deps, COMMANDS.dispatchTemplate, async (arg?: unknown, objectIdArg?: unknown) => {
    const kaltura = workbench.requireKaltura();
    const template = await pickPartnerTemplate(deps, arg, 'Dispatch which template?');
    if (!template) return;
    const plan = planTrigger(template);
    if (plan.kind === 'unsupported') throw new Error(plan.message);
    let entryId = typeof objectIdArg === 'string' ? objectIdArg.trim() : undefined;
    const needsEntry = plan.kind === 'dispatch' || plan.kind === 'touch-entry' || plan.kind === 'category-entry';
    if (needsEntry && !entryId) {
      const [verb, use] =
        plan.kind === 'dispatch'
          ? ['Dispatch', 'the notification is about it']
          : plan.kind === 'touch-entry'
            ? ['Change an entry to fire', 'a tag is added to it and removed again']
            : ['Assign an entry to a category to fire', 'it is assigned to a new category of the workbench and removed again; the category is then deleted'];
      entryId = await pickEntry(template, verb, use);
      if (!entryId) return;
    }
    const { result, arrived } = await withProgress('Kaltura Webhooks: firing the template', async (progress) => {
      // Listening before the action: the sandbox can deliver before the API call has returned.
      const arrival = waitForTemplateEvent(template, workbench.sandbox ? 20_000 : 45_000);
      try {
        const fired = await triggerTemplate({
          templates: kaltura.templates,
          media: kaltura.media,
          categories: kaltura.categories,
          template,
          ...(entryId ? { entryId } : {}),
          ...(workbench.settings.triggerMediaUrl ? { mediaUrl: workbench.settings.triggerMediaUrl } : {}),
        });
        log.info(`fired template ${template.id} (${fired.action}): ${fired.summary}`);
        progress.report({ message: vscode.l10n.t('{0} done; waiting for the notification…', fired.action) });
        return { result: fired, arrived: await arrival.done };
      } finally {
        arrival.dispose();
      }
    });
    const outcome = arrived
      ? vscode.l10n.t('The notification arrived: {0}.', arrived.verification.status)
      : vscode.l10n.t('No notification yet (Kaltura can take longer than {0} s); watch the Events view.', workbench.sandbox ? 20 : 45);
    log.info(`template ${template.id}: ${outcome}`);
    const text = vscode.l10n.t('"{0}" (#{1}): {2}. {3}', templateLabel(template), template.id, result.summary, outcome);
    if (!result.createdEntryId) {
      void vscode.window.showInformationMessage(text);
      return result.jobId ?? result.entryId;
    }
    const created = result.createdEntryId;
    // Not awaited: the command resolves once the event was caused, whatever the user does with the toast.
    void vscode.window.showInformationMessage(text, vscode.l10n.t('Delete the Entry When Processed')).then(async (choice) => {
      if (choice !== vscode.l10n.t('Delete the Entry When Processed')) return;
      try {
        await waitForEntryProcessed(kaltura.media, created);
        await kaltura.media.delete(created);
        log.info(`deleted the trigger entry ${created}`);
        void vscode.window.showInformationMessage(vscode.l10n.t('Deleted the trigger entry {0}.', created));
      } catch (err) {
        void vscode.window.showWarningMessage(vscode.l10n.t('The trigger entry {0} was not deleted: {1}', created, err instanceof Error ? err.message : String(err)));
      }
    });
    return created;
  });

  /** The first event this template sends from now on (by the template id in the payload, or its URL path). */
  function waitForTemplateEvent(template: AnyTemplate, timeoutMs: number): { done: Promise<WebhookEvent | undefined>; dispose(): void } {
    let finish: (event: WebhookEvent | undefined) => void = () => undefined;
    const done = new Promise<WebhookEvent | undefined>((resolve) => (finish = resolve));
    const path = template.systemName ? `${KALTURA_TEMPLATE_PATH_PREFIX}${encodeURIComponent(template.systemName)}` : undefined;
    const subscription = workbench.store.onChange((change) => {
      const event = change.added.find(
        (e) => (e.parsed?.kind === 'kaltura' && e.parsed.templateId === template.id) || (path !== undefined && e.request.path.split('?')[0] === path),
      );
      if (event) finish(event);
    });
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    return {
      done,
      dispose() {
        clearTimeout(timer);
        subscription.dispose();
        finish(undefined);
      },
    };
  }

  /** `verb` titles the prompt; `use` says what happens to the entry. */
  async function pickEntry(template: AnyTemplate, verb: string, use: string): Promise<string | undefined> {
    const sandbox = workbench.sandbox;
    if (sandbox) {
      const entries = sandbox.listEntries().filter((e) => e.status !== 3);
      const NEW = '$(add) Create a new sandbox entry';
      const pick = await vscode.window.showQuickPick(
        [{ label: NEW, id: '' }, ...entries.map((e) => ({ label: e.id, description: `${e.name} · ${entryStatusName(e.status) ?? `status ${e.status}`}`, id: e.id }))],
        { title: vscode.l10n.t('{0} "{1}" for which entry?', verb, templateLabel(template)), ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      return pick.id || sandbox.addEntry({ name: `Workbench test ${new Date().toLocaleTimeString()}` }).id;
    }
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} "{1}"', verb, templateLabel(template)),
      ignoreFocusOut: true,
      prompt: vscode.l10n.t('Entry id ({0}), e.g. 0_abcd1234: {1}', eventObjectTypeLabel(template.eventObjectType), use),
      validateInput: (v) => (/^\d_[a-z0-9]{1,32}$/i.test(v.trim()) ? undefined : vscode.l10n.t('Enter an entry id such as 0_abcd1234 (KMC > Content).')),
    });
    return typed?.trim() || undefined;
  }

  register(deps, COMMANDS.editTemplate, async (arg?: unknown) => {
    const template = await pickPartnerTemplate(deps, arg, 'Edit which template?');
    if (!template) return;
    const doc = await vscode.workspace.openTextDocument(templateUri(template));
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: false });
  });

  const setStatus = (enable: boolean) => async (arg?: unknown) => {
    const kaltura = workbench.requireKaltura();
    const template = await pickPartnerTemplate(deps, arg, enable ? 'Enable which template?' : 'Disable which template?');
    if (!template) return;
    if (enable) await kaltura.templates.activate(template.id);
    else await kaltura.templates.updateStatus(template.id, TemplateStatus.DISABLED);
    log.info(`${enable ? 'enabled' : 'disabled'} template ${template.id}`);
    await templatesTree.refresh();
  };
  register(deps, COMMANDS.enableTemplate, setStatus(true));
  register(deps, COMMANDS.disableTemplate, setStatus(false));

  register(deps, COMMANDS.deleteTemplate, async (arg?: unknown) => {
    const kaltura = workbench.requireKaltura();
    const template = await pickPartnerTemplate(deps, arg, 'Delete which template?');
    if (!template) return;
    const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Delete template "{0}" (#{1})?', templateLabel(template), template.id), { modal: true }, vscode.l10n.t('Delete'));
    if (ok !== vscode.l10n.t('Delete')) return;
    await kaltura.templates.delete(template.id);
    if (template.systemName) await workbench.registry?.forget(template.systemName);
    log.info(`deleted template ${template.id}`);
    await workbench.syncRegisteredIds();
    await templatesTree.refresh();
  });

  register(deps, COMMANDS.repointTemplate, async (arg?: unknown) => {
    const kaltura = workbench.requireKaltura();
    const base = workbench.webhookUrl();
    if (!base) throw new Error(vscode.l10n.t('There is no current URL to point at: start the receiver (and the tunnel for a live account).'));
    const template = await pickPartnerTemplate(deps, arg, 'Re-point which template?');
    if (!template) return;
    const url = templateUrl(base, template.systemName || `template_${template.id}`);
    await kaltura.templates.update(template.id, { objectType: 'KalturaHttpNotificationTemplate', url });
    const record = (await workbench.registry?.list())?.find((r) => r.id === template.id);
    if (record) await workbench.registry?.upsert({ ...record, url });
    log.info(`re-pointed template ${template.id} → ${url}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Template #{0} now calls {1}', template.id, url));
    await templatesTree.refresh();
  });

  register(deps, COMMANDS.cleanupTemplates, async () => {
    workbench.requireKaltura();
    const pick = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Disable the templates this session registered'), policy: 'disable' as const },
        { label: vscode.l10n.t('Delete the templates this session registered'), policy: 'delete' as const },
      ],
      { title: vscode.l10n.t('Clean up registered templates') },
    );
    if (!pick) return;
    const records = (await workbench.registry?.list()) ?? [];
    if (records.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This session has not registered any templates.'));
      return;
    }
    if (pick.policy === 'delete') {
      // A single delete asks; deleting all of them at once asks too, naming them.
      const ids = records.slice(0, 5).map((r) => `#${r.id ?? '?'}`).join(', ') + (records.length > 5 ? ` and ${records.length - 5} more` : '');
      const ok = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete the {0} template(s) this session registered ({1})? Kaltura cannot undo a delete; Disable keeps them.', records.length, ids),
        { modal: true },
        vscode.l10n.t('Delete'),
      );
      if (ok !== vscode.l10n.t('Delete')) return;
    }
    const outcomes = await withProgress('Kaltura Webhooks: cleaning up', () => workbench.cleanupRegistered(pick.policy));
    await templatesTree.refresh();
    reportCleanup(deps, outcomes, pick.policy === 'delete' ? 'deleted' : 'disabled');
  });
}

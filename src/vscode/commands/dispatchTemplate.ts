// "Dispatch Template…": Kaltura's `dispatch` when the template allows it; otherwise (every clone made by an ordinary
// partner) the event the template listens to is caused for real (core/kaltura/trigger.ts), here and against a live
// account.
import * as vscode from 'vscode';
import { KALTURA_TEMPLATE_PATH_PREFIX } from '../../core/kaltura/registration';
import type { WebhookEvent } from '../../core/events/model';
import { planTrigger, triggerTemplate, waitForEntryProcessed } from '../../core/kaltura/trigger';
import { entryStatusName, eventObjectTypeLabel } from '../../protocol/names';
import type { AnyTemplate } from '../../core/kaltura/schemas';
import { COMMANDS } from '../commandIds';
import { withProgress } from './deps';
import { pickPartnerTemplate, templateLabel } from './templatePick';
import { defineCommand } from './command';

export const dispatchTemplate = defineCommand(COMMANDS.dispatchTemplate, (deps) => {
  const { workbench, log } = deps;
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

  return async (arg?: unknown, objectIdArg?: unknown) => {
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
  };
});

// What every command module receives, plus the small helpers they share.
import * as vscode from 'vscode';
import type { WebhookEvent } from '../../core/events/model';
import { hintForKalturaCode } from '../../core/kaltura/errors';
import type { RegistryOutcome } from '../../core/kaltura/registration';
import type { EventActions } from '../eventActions';
import type { InspectorPanel } from '../inspector/inspectorPanel';
import { errorMessage, type WorkbenchLog } from '../log';
import type { RequestDocuments } from '../requestDocuments';
import type { WorkbenchSecrets } from '../secrets';
import type { EventsTreeProvider } from '../views/eventsTree';
import type { TemplatesTreeProvider } from '../views/templatesTree';
import { ReceiverNotRunningError, type Workbench } from '../workbench';
import { COMMANDS } from '../commandIds';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  workbench: Workbench;
  log: WorkbenchLog;
  secrets: WorkbenchSecrets;
  eventsTree: EventsTreeProvider;
  templatesTree: TemplatesTreeProvider;
  /** The inspector, loaded on first use. */
  inspector: () => Promise<InspectorPanel>;
  /** The event the inspector shows, if it was opened. */
  inspectedEventId: () => string | undefined;
  actions: EventActions;
  /** Edit and Replay / custom sample documents. */
  requests: RequestDocuments;
  /** Where a handler goes: the activation bundle registered every command id and calls the handler from there. */
  registerCommand: CommandRegistrar;
}

export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandRegistrar = (id: string, handler: CommandHandler) => vscode.Disposable;

const START = vscode.l10n.t('Start Receiver');

/** Registers `handler`, reporting any failure once (notification + log) with what to do next. */
export function register(deps: CommandDeps, id: string, handler: CommandHandler): void {
  deps.context.subscriptions.push(
    deps.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        const message = describeError(err);
        deps.log.error(`${id} failed`, message);
        if (err instanceof ReceiverNotRunningError) {
          void vscode.window.showErrorMessage(message, START).then((c) => c && vscode.commands.executeCommand(COMMANDS.start));
          return undefined;
        }
        void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Log')).then((c) => c && deps.log.show());
        return undefined;
      }
    }),
  );
}

/** Adds the Kaltura hint (e.g. for INVALID_KS) when the error carries a Kaltura code. */
export function describeError(err: unknown): string {
  const message = errorMessage(err);
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') {
    const hint = hintForKalturaCode(code);
    if (hint && !message.includes(hint)) return `${message} ${hint}`;
  }
  return message;
}

export function withProgress<T>(title: string, task: (progress: vscode.Progress<{ message?: string }>) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, task);
}

/** The event a command is about: an id, a tree node, the inspector's event, or one the user picks. */
export async function resolveEvent(deps: CommandDeps, arg: unknown): Promise<WebhookEvent | undefined> {
  const id =
    typeof arg === 'string'
      ? arg
      : arg && typeof arg === 'object' && 'id' in arg && typeof (arg as { id: unknown }).id === 'string'
        ? (arg as { id: string }).id
        : deps.inspectedEventId();
  if (id) {
    const event = deps.workbench.store.get(id);
    if (!event) throw new Error(vscode.l10n.t('Event {0} is no longer in memory (cleared or evicted).', id));
    return event;
  }
  const recent = deps.workbench.store.all().slice(-200).reverse();
  if (!recent.length) throw new Error(vscode.l10n.t('There are no events yet. Start the receiver and send one (or run "Trigger Sample Event").'));
  const pick = await vscode.window.showQuickPick(
    recent.map((e) => ({ label: e.summary || e.type, description: `${e.verification.status} · ${new Date(e.receivedAt).toLocaleTimeString()}`, id: e.id })),
    { title: vscode.l10n.t('Pick an event'), matchOnDescription: true },
  );
  return pick ? deps.workbench.store.get(pick.id) : undefined;
}

/**
 * The summary of a clean-up (Stop, Clean Up): information when every template was handled, a warning naming the
 * failures (with the log a click away) when some were not.
 */
export function reportCleanup(deps: CommandDeps, outcomes: readonly RegistryOutcome[], done: string, prefix = ''): void {
  const failed = outcomes.filter((o) => !o.ok);
  const summary = `${prefix}${outcomes.length - failed.length} of ${outcomes.length} registered template(s) ${done}`;
  if (failed.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}.', summary));
    return;
  }
  const which = failed.slice(0, 3).map((o) => `#${o.record.id ?? '?'}${o.error ? ` (${o.error.message})` : ''}`).join(', ');
  void vscode.window
    .showWarningMessage(vscode.l10n.t('{0}; {1} failed: {2}{3}.', summary, failed.length, which, failed.length > 3 ? ', …' : ''), vscode.l10n.t('Show Log'))
    .then((c) => c && deps.log.show());
}

// Event commands: inspector, replay, forward, copy as curl, raw body, handler stub, export, clear, filter, list/grouped, samples.
import * as vscode from 'vscode';
import type { EventSource, VerificationStatus } from '../../core/events/model';
import { COMMANDS } from '../commandIds';
import { loadSamples } from '../coreAdapter';
import { isFilterActive, SOURCE_LABELS, type EventFilter } from '../views/eventGrouping';
import { parseEventQuery } from '../views/eventQuery';
import { EVENTS_VIEW_MODE_KEY, type EventsViewMode } from '../views/eventsTree';
import { register, resolveEvent, withProgress, type CommandDeps } from './deps';
import { REQUEST_SCHEME } from '../requestDocuments';
import { ReceiverNotRunningError } from '../workbench';

/** Where the last sent edit of a custom sample is kept, per kind. */
const customSampleKey = (kind: string): string => `kalturaWebhooks.customSample.${kind}`;

export function registerEventCommands(deps: CommandDeps): void {
  const { workbench, eventsTree, actions, log } = deps;

  register(deps, COMMANDS.openEvent, async (arg?: unknown) => {
    const event = await resolveEvent(deps, arg);
    if (event) (await deps.inspector()).show(event.id);
  });

  const simple = (id: string, run: (eventId: string) => Promise<string>) =>
    register(deps, id, async (arg?: unknown) => {
      const event = await resolveEvent(deps, arg);
      if (!event) return;
      const message = await run(event.id);
      if (!/cancelled/.test(message)) void vscode.window.showInformationMessage(message);
    });
  simple(COMMANDS.replayEvent, (id) => actions.run('replay', id));
  simple(COMMANDS.forwardEvent, (id) => actions.run('forward', id));
  simple(COMMANDS.copyAsCurl, (id) => actions.run('copyCurl', id));
  simple(COMMANDS.generateHandler, (id) => actions.run('generateHandler', id));
  register(deps, COMMANDS.openRawBody, async (arg?: unknown) => {
    const event = await resolveEvent(deps, arg);
    if (event) await actions.openRaw(event);
  });

  register(deps, COMMANDS.exportEvents, async () => {
    const all = workbench.store.all();
    if (!all.length) throw new Error(vscode.l10n.t('There are no events to export yet.'));
    const pick = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('JSON'), description: vscode.l10n.t('every event with its raw request (body as base64)'), format: 'json' as const },
        { label: vscode.l10n.t('.http file'), description: vscode.l10n.t('REST Client requests aimed at the receiver'), format: 'http' as const },
        { label: vscode.l10n.t('curl script'), description: vscode.l10n.t('one curl command per event'), format: 'curl' as const },
      ],
      { title: vscode.l10n.t('Export {0} event(s){1}', all.length, isFilterActive(eventsTree.getFilter()) ? ' (all, the filter is ignored)' : '') },
    );
    if (!pick) return;
    const message = await actions.exportEvents(all, pick.format);
    void vscode.window.showInformationMessage(message);
  });

  register(deps, COMMANDS.clearEvents, async () => {
    const count = workbench.store.size;
    if (!count) return;
    const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Clear all {0} events (and the persisted event log)?', count), { modal: true }, vscode.l10n.t('Clear'));
    if (ok !== vscode.l10n.t('Clear')) return;
    await workbench.store.clear();
    log.info(`cleared ${count} events`);
  });

  register(deps, COMMANDS.filterEvents, async () => {
    const current = eventsTree.getFilter();
    type Item = vscode.QuickPickItem & { apply: (f: EventFilter) => EventFilter };
    const sources = (Object.keys(SOURCE_LABELS) as EventSource[]).map<Item>((s) => ({
      label: `$(symbol-event) ${SOURCE_LABELS[s]}`,
      description: 'source',
      picked: current.sources?.includes(s) ?? false,
      apply: (f) => ({ ...f, sources: [...(f.sources ?? []), s] }),
    }));
    const statuses = (['verified', 'failed', 'unsigned'] as VerificationStatus[]).map<Item>((v) => ({
      label: `$(${v === 'verified' ? 'pass' : v === 'failed' ? 'error' : 'circle-large-outline'}) ${v}`,
      description: 'verification',
      picked: current.verification?.includes(v) ?? false,
      apply: (f) => ({ ...f, verification: [...(f.verification ?? []), v] }),
    }));
    const picks = await vscode.window.showQuickPick([...sources, ...statuses], {
      title: vscode.l10n.t('Filter events: sources and verification (none picked = all)'),
      canPickMany: true,
    });
    if (!picks) return;
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter events: text'),
      prompt:
        'Words match summary, type, object id, path and body. Keys: status:5xx app:>=400 duration:>200 path:/hooks ' +
        'header:x-kaltura-signature body:0_abc type:entry is:duplicate; "-" negates a term.',
      value: current.query?.source ?? '',
      validateInput: (value) => {
        const { errors } = parseEventQuery(value);
        return errors.length ? errors.join('; ') : undefined;
      },
    });
    if (text === undefined) return;
    let filter: EventFilter = {};
    for (const p of picks as Item[]) filter = p.apply(filter);
    const { query } = parseEventQuery(text);
    if (query.terms.length) filter.query = query;
    eventsTree.setFilter(filter);
  });

  const showAs = (mode: EventsViewMode): void => {
    eventsTree.setMode(mode);
    void deps.context.workspaceState.update(EVENTS_VIEW_MODE_KEY, mode);
  };
  register(deps, COMMANDS.viewEventsAsList, () => showAs('list'));
  register(deps, COMMANDS.viewEventsAsGroups, () => showAs('grouped'));

  register(deps, COMMANDS.editAndReplay, async (arg?: unknown) => {
    const event = await resolveEvent(deps, arg);
    if (!event) return undefined;
    if (event.request.bodyTruncated) throw new Error(vscode.l10n.t('Event {0} was cut at the body limit; only the full request can be edited and replayed.', event.id));
    const { requestDocumentFor } = await import('../../core/forward/requestDocument');
    const doc = requestDocumentFor(event.request, { sendTo: 'receiver', replayOf: event.id });
    const uri = await deps.requests.open(`replay-${event.id}`, doc, event.request);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Edit the request, then Send Request (the editor\'s title bar). "signature": "resign" signs the new body with your secret; "keep" sends the original signature; "unsigned" sends none. "sendTo": "app" sends it to kalturaWebhooks.forwardUrl.'),
    );
    return uri.toString();
  });

  register(deps, COMMANDS.sendRequestDocument, async (arg?: unknown) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== REQUEST_SCHEME) throw new Error(vscode.l10n.t('Open a request with Edit and Replay… or Trigger Custom Sample Event… first.'));
    const sent = await deps.requests.send(uri);
    if (sent.sampleKind) await deps.context.globalState.update(customSampleKey(sent.sampleKind), sent.text);
    const ms = Math.round(sent.durationMs);
    void vscode.window.showInformationMessage(
      sent.document.sendTo === 'receiver'
        ? vscode.l10n.t('Sent to the receiver: HTTP {0} in {1} ms. The new delivery appears in the Events view.', sent.status, ms)
        : vscode.l10n.t('Sent to {0}: HTTP {1} in {2} ms.', sent.url, sent.status, ms),
    );
    return { status: sent.status };
  });

  register(deps, COMMANDS.triggerCustomSample, async (kindArg?: unknown) => {
    const samples = await loadSamples();
    const editable = samples.kinds.filter((k) => !k.kind.startsWith('kaltura-legacy'));
    let kind = typeof kindArg === 'string' ? kindArg : undefined;
    if (!kind) {
      const pick = await vscode.window.showQuickPick(
        editable.map((k) => ({
          label: k.label,
          description: deps.context.globalState.get(customSampleKey(k.kind)) ? `${k.kind} · your last edit` : k.kind,
          detail: k.description,
          sampleKind: k.kind,
        })),
        { title: vscode.l10n.t('Custom sample event: pick one to edit (signed like the real sender when sent)'), matchOnDescription: true, ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      kind = pick.sampleKind;
    }
    if (!editable.some((k) => k.kind === kind)) {
      throw new Error(vscode.l10n.t('"{0}" cannot be edited: legacy notifications are signed over their fields with md5 (sig), which Send Request does not redo; use Trigger Sample Event.', kind));
    }
    const sample = samples.build(kind, workbench.credentials(), workbench.account?.partnerId);
    const { requestDocumentFor } = await import('../../core/forward/requestDocument');
    const { sampleToCapturedRequest } = await import('../../core/providers/samples');
    const captured = sampleToCapturedRequest(sample, `custom-${kind}`);
    const remembered = deps.context.globalState.get<string>(customSampleKey(kind));
    const uri = await deps.requests.open(`sample-${kind}`, remembered ?? requestDocumentFor(captured, { sendTo: 'receiver' }), captured, kind);
    return uri.toString();
  });

  register(deps, COMMANDS.clearEventFilter, () => eventsTree.setFilter({}));

  register(deps, COMMANDS.triggerSample, async (kindArg?: unknown) => {
    const receiver = workbench.receiver;
    if (!receiver) throw new ReceiverNotRunningError(vscode.l10n.t('Samples are sent to the receiver over HTTP'));
    const samples = await loadSamples();
    let kind = typeof kindArg === 'string' ? kindArg : undefined;
    if (!kind) {
      const pick = await vscode.window.showQuickPick(
        samples.kinds.map((k) => ({ label: k.label, description: k.kind, detail: k.description, sampleKind: k.kind })),
        { title: vscode.l10n.t('Trigger a sample event (signed like the real sender)'), matchOnDescription: true, ignoreFocusOut: true },
      );
      if (!pick) return;
      kind = pick.sampleKind;
    }
    const sampleKind = kind;
    const result = await withProgress('Kaltura Webhooks: sending a sample event', () =>
      samples.send(sampleKind, receiver, workbench.credentials(), workbench.account?.partnerId),
    );
    log.info(`sample ${sampleKind} sent to the receiver: HTTP ${result.status}`);
    await vscode.commands.executeCommand(COMMANDS.showEvents);
    return result;
  });
}

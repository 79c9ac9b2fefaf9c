// Event commands: inspector, replay, forward, copy as curl, raw body, handler stub, export, clear, filter, samples.
import * as vscode from 'vscode';
import type { EventSource, VerificationStatus } from '../../core/events/model';
import { COMMANDS } from '../commandIds';
import { loadSamples } from '../coreAdapter';
import { isFilterActive, SOURCE_LABELS, type EventFilter } from '../views/eventGrouping';
import { register, resolveEvent, withProgress, type CommandDeps } from './deps';
import { ReceiverNotRunningError } from '../workbench';

export function registerEventCommands(deps: CommandDeps): void {
  const { workbench, eventsTree, actions, log } = deps;

  register(deps, COMMANDS.openEvent, async (arg?: unknown) => {
    const event = await resolveEvent(deps, arg);
    if (event) deps.inspector().show(event.id);
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
    if (!all.length) throw new Error('There are no events to export yet.');
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'JSON', description: 'every event with its raw request (body as base64)', format: 'json' as const },
        { label: '.http file', description: 'REST Client requests aimed at the receiver', format: 'http' as const },
        { label: 'curl script', description: 'one curl command per event', format: 'curl' as const },
      ],
      { title: `Export ${all.length} event(s)${isFilterActive(eventsTree.getFilter()) ? ' (all, the filter is ignored)' : ''}` },
    );
    if (!pick) return;
    const message = await actions.exportEvents(all, pick.format);
    void vscode.window.showInformationMessage(message);
  });

  register(deps, COMMANDS.clearEvents, async () => {
    const count = workbench.store.size;
    if (!count) return;
    const ok = await vscode.window.showWarningMessage(`Clear all ${count} events (and the persisted event log)?`, { modal: true }, 'Clear');
    if (ok !== 'Clear') return;
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
      title: 'Filter events: sources and verification (none picked = all)',
      canPickMany: true,
    });
    if (!picks) return;
    const text = await vscode.window.showInputBox({
      title: 'Filter events: text',
      prompt: 'Matches summary, type, object id, path and body (case-insensitive). Prefix with "type:" to match the event type only.',
      value: current.type ? `type:${current.type}` : (current.text ?? ''),
    });
    if (text === undefined) return;
    let filter: EventFilter = {};
    for (const p of picks as Item[]) filter = p.apply(filter);
    const t = text.trim();
    if (t.startsWith('type:')) filter.type = t.slice(5).trim();
    else if (t) filter.text = t;
    eventsTree.setFilter(filter);
  });

  register(deps, COMMANDS.clearEventFilter, () => eventsTree.setFilter({}));

  register(deps, COMMANDS.triggerSample, async (kindArg?: unknown) => {
    const receiver = workbench.receiver;
    if (!receiver) throw new ReceiverNotRunningError('Samples are sent to the receiver over HTTP');
    const samples = await loadSamples();
    let kind = typeof kindArg === 'string' ? kindArg : undefined;
    if (!kind) {
      const pick = await vscode.window.showQuickPick(
        samples.kinds.map((k) => ({ label: k.label, description: k.kind, detail: k.description, sampleKind: k.kind })),
        { title: 'Trigger a sample event (signed like the real sender)', matchOnDescription: true, ignoreFocusOut: true },
      );
      if (!pick) return;
      kind = pick.sampleKind;
    }
    const sampleKind = kind;
    const result = await withProgress('Kaltura Webhooks: sending a sample event', () =>
      samples.send(sampleKind, receiver.url, workbench.credentials(), workbench.account?.partnerId),
    );
    log.info(`sample ${sampleKind} sent to the receiver: HTTP ${result.status}`);
    await vscode.commands.executeCommand(COMMANDS.showEvents);
    return result;
  });
}

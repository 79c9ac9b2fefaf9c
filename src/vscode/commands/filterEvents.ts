// "Filter Events…"
import * as vscode from 'vscode';
import type { EventSource, VerificationStatus } from '../../core/events/model';
import { COMMANDS } from '../commandIds';
import { SOURCE_LABELS, type EventFilter } from '../views/eventGrouping';
import { parseEventQuery } from '../views/eventQuery';
import { defineCommand } from './command';

export const filterEvents = defineCommand(COMMANDS.filterEvents, ({ eventsTree }) => async () => {
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

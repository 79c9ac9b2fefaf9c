// The template a template command is about: the tree node it was run on, an id, or one the user picks from the
// partner's templates.
import * as vscode from 'vscode';
import { TemplateStatus, type AnyTemplate } from '../../core/kaltura/schemas';
import { eventObjectTypeLabel, eventTypeLabel } from '../../protocol/names';
import type { CommandDeps } from './deps';

/** How a template is named in prompts and messages. */
export function templateLabel(t: AnyTemplate): string {
  return t.name || t.systemName || `Template ${t.id}`;
}

export async function pickPartnerTemplate(deps: CommandDeps, arg: unknown, title: string): Promise<AnyTemplate | undefined> {
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

// Making a template fire on demand. Kaltura's `dispatch` needs manualDispatchEnabled, which an ordinary partner
// cannot set (kaltura-protocol.md §4.2), so a clone of a system template usually refuses it with
// EVENT_NOTIFICATION_DISPATCH_DISABLED. The workbench then causes the event the template listens to, read from its
// event type, object type and conditions: a harmless change of an entry, or a new small entry whose status changes
// while Kaltura processes it. The same code runs against the sandbox and a real account.
import { isKalturaApiError } from './errors';
import { EntryStatus, MediaType, type MediaEntry, type MediaEntryService } from './entryService';
import type { AnyTemplate } from './schemas';
import type { EventNotificationTemplateService, RequestOptions } from './templateService';
import { eventObjectTypeName, eventTypeName } from '../../protocol/names';

/** A small public image: Kaltura imports it without transcoding, so the new entry is READY within seconds. */
export const DEFAULT_TRIGGER_MEDIA_URL = 'https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png';

export type TriggerPlan =
  | { kind: 'dispatch' }
  /** OBJECT_CHANGED (or UPDATED) of an entry, whatever changed: a tag added to the chosen entry and removed again. */
  | { kind: 'touch-entry' }
  /** Needs a new entry: an added/created entry, a status change, or a notification delayed until READY. */
  | { kind: 'new-entry'; why: string }
  /** OBJECT_DELETED: a new entry, deleted once Kaltura has it. */
  | { kind: 'new-entry-then-delete' }
  | { kind: 'unsupported'; message: string };

const ENTRY = '1';
const EVENT = { ADDED: '2', CHANGED: '3', CREATED: '5', DATA_CHANGED: '6', DELETED: '7', SAVED: '10', UPDATED: '11' } as const;

function mentionsStatus(template: AnyTemplate): boolean {
  return /STATUS|getStatus\(/.test(JSON.stringify(template.eventConditions ?? []));
}

/** How to make `template` fire, from what Kaltura will allow and what it listens to. */
export function planTrigger(template: AnyTemplate, options: { ignoreManualDispatch?: boolean } = {}): TriggerPlan {
  if (template.manualDispatchEnabled === true && !options.ignoreManualDispatch) return { kind: 'dispatch' };
  const eventType = String(template.eventType ?? '');
  const objectType = String(template.eventObjectType ?? '');
  const what = `${eventTypeName(eventType) ?? `event ${eventType}`} of ${eventObjectTypeName(objectType) ?? `object type ${objectType}`}`;
  if (objectType !== ENTRY) {
    return {
      kind: 'unsupported',
      message:
        `template #${template.id} fires on ${what}, and Kaltura does not dispatch it by hand on this partner (manual dispatch is off); ` +
        'the workbench can only cause entry events. Cause the event in the KMC, or register a template that listens to entries ' +
        '(Entry Status Changed, Entry Changed).',
    };
  }
  if (Number(template.eventDelayedCondition ?? 0) === 1) return { kind: 'new-entry', why: 'it waits until a new entry is READY' };
  switch (eventType) {
    case EVENT.ADDED:
    case EVENT.CREATED:
    case EVENT.SAVED:
      return { kind: 'new-entry', why: 'it fires when an entry is added' };
    case EVENT.DELETED:
      return { kind: 'new-entry-then-delete' };
    case EVENT.CHANGED:
    case EVENT.UPDATED:
    case EVENT.DATA_CHANGED:
      return mentionsStatus(template) ? { kind: 'new-entry', why: "its conditions need an entry's status to change" } : { kind: 'touch-entry' };
    default:
      return {
        kind: 'unsupported',
        message: `template #${template.id} fires on ${what}, which the workbench cannot cause; cause it in the KMC, or enable manual dispatch from the Admin Console`,
      };
  }
}

export interface TriggerOptions extends RequestOptions {
  templates: EventNotificationTemplateService;
  media: MediaEntryService;
  template: AnyTemplate;
  /** The entry to dispatch for or to touch; new-entry plans do not need one. */
  entryId?: string;
  /** What a new entry imports (default DEFAULT_TRIGGER_MEDIA_URL). */
  mediaUrl?: string;
}

export interface TriggerResult {
  /** The API calls made, as one would type them: `dispatch`, `media.update ×2`, `media.addFromUrl`, … */
  action: string;
  /** One sentence for the user: what was done and what to expect. */
  summary: string;
  entryId?: string;
  jobId?: number;
  /** An entry the workbench created, which the user may want deleted once the notification has arrived. */
  createdEntryId?: string;
  /** Notifications this should cause, when the template's conditions match. */
  expected: number;
}

const TAG = 'kwh-trigger';

function requireEntry(entryId: string | undefined, template: AnyTemplate, why: string): string {
  const id = entryId?.trim();
  if (!id) throw new RangeError(`template #${template.id} needs an entry to ${why}: pass its id (for example 0_abcd1234)`);
  return id;
}

/** Fires the template the way `planTrigger` says; a dispatch that Kaltura refuses falls back to the real event. */
export async function triggerTemplate(options: TriggerOptions): Promise<TriggerResult> {
  const { template, templates, media, signal } = options;
  let plan = planTrigger(template);
  let refused = '';
  if (plan.kind === 'dispatch') {
    const entryId = requireEntry(options.entryId, template, 'dispatch for');
    try {
      const jobId = await templates.dispatch(template.id, { objectId: entryId, scopeObjectType: template.eventObjectType ?? 1 }, { signal });
      return { action: 'dispatch', summary: `dispatched template #${template.id} for ${entryId} (job ${jobId})`, entryId, jobId, expected: 1 };
    } catch (err) {
      if (!isKalturaApiError(err) || err.code !== 'EVENT_NOTIFICATION_DISPATCH_DISABLED') throw err;
      refused = 'Kaltura refused the dispatch (manual dispatch is off); ';
      plan = planTrigger(template, { ignoreManualDispatch: true });
    }
  }
  switch (plan.kind) {
    case 'unsupported':
      throw new RangeError(refused + plan.message);
    case 'touch-entry': {
      const entryId = requireEntry(options.entryId, template, 'change');
      const entry = await media.get(entryId, { signal });
      const before = entry.tags ?? '';
      const tag = `${TAG}-${Date.now().toString(36)}`;
      await media.update(entryId, { tags: before ? `${before}, ${tag}` : tag }, { signal });
      await media.update(entryId, { tags: before }, { signal });
      return {
        action: 'media.update ×2',
        summary: `${refused}added the tag ${tag} to entry ${entryId} and removed it again; each change fires the template (2 notifications, Kaltura sends them within 5–15 s)`,
        entryId,
        expected: 2,
      };
    }
    case 'new-entry':
    case 'new-entry-then-delete': {
      const created = await addTriggerEntry(media, template, options.mediaUrl, signal);
      if (plan.kind === 'new-entry-then-delete') {
        await media.delete(created.id, { signal });
        return {
          action: 'media.addFromUrl, media.delete',
          summary: `${refused}created entry ${created.id} and deleted it, which fires the template (Kaltura sends it within 5–15 s)`,
          entryId: created.id,
          expected: 1,
        };
      }
      return {
        action: 'media.addFromUrl',
        summary: `${refused}created entry ${created.id} from a small image, because ${plan.why}; Kaltura notifies as it processes the entry (5–15 s)`,
        entryId: created.id,
        createdEntryId: created.id,
        expected: 1,
      };
    }
    case 'dispatch':
      throw new Error('unreachable: a refused dispatch is planned again without it');
  }
}

async function addTriggerEntry(media: MediaEntryService, template: AnyTemplate, mediaUrl: string | undefined, signal?: AbortSignal): Promise<MediaEntry> {
  return media.addFromUrl(
    {
      name: `Webhook Workbench trigger for template ${template.id}`,
      mediaType: MediaType.IMAGE,
      description: 'Created by Kaltura Webhook Workbench to fire a webhook; safe to delete.',
      tags: TAG,
    },
    mediaUrl ?? DEFAULT_TRIGGER_MEDIA_URL,
    { signal },
  );
}

/** Waits until Kaltura has finished with an entry (READY or an error status), e.g. before deleting a trigger entry. */
export async function waitForEntryProcessed(media: MediaEntryService, entryId: string, options: RequestOptions & { timeoutMs?: number; pollMs?: number } = {}): Promise<MediaEntry> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const entry = await media.get(entryId, { signal: options.signal });
    const status = entry.status ?? EntryStatus.READY;
    if (status === EntryStatus.READY || status < 0 || status === EntryStatus.DELETED) return entry;
    if (Date.now() > deadline) throw new Error(`entry ${entryId} is still being processed (status ${status}) after ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

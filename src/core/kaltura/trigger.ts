// Making a template fire on demand. Kaltura's `dispatch` needs manualDispatchEnabled, which an ordinary partner
// cannot set (kaltura-protocol.md §4.2), so a clone of a system template usually refuses it with
// EVENT_NOTIFICATION_DISPATCH_DISABLED. The workbench then causes the event the template listens to, read from its
// event type, object type and conditions: a harmless change of an entry, a new small entry whose status changes
// while Kaltura processes it, or a category of the workbench's own (an entry assigned to it and removed again). The
// same code runs against the sandbox and a real account.
import type { CategoryService } from './categoryService';
import { isKalturaApiError } from './errors';
import { EntryStatus, MediaType, type MediaEntry, type MediaEntryService } from './entryService';
import type { AnyTemplate } from './schemas';
import type { EventNotificationTemplateService, RequestOptions } from './templateService';
import { EVENT_OBJECT_TYPE, EVENT_TYPE, eventObjectTypeName, eventTypeName } from '../../protocol/names';

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
  /** An event of an entry's assignment to a category: the entry assigned to a new category, removed, the category deleted. */
  | { kind: 'category-entry'; expected: number }
  /** An event of a category: a new category, deleted again. */
  | { kind: 'category'; expected: number }
  | { kind: 'unsupported'; message: string };

/**
 * Adding then deleting a category (or an assignment) raises CREATED, ADDED and SAVED, then CHANGED (its status
 * becomes DELETED), DELETED and SAVED (category::postUpdate, categoryEntry::postUpdate): how many of them a template
 * on `eventType` receives, 0 when it is none of them.
 */
function addAndDeleteNotifications(eventType: string): number {
  switch (eventType) {
    case EVENT_TYPE.OBJECT_CREATED:
    case EVENT_TYPE.OBJECT_ADDED:
    case EVENT_TYPE.OBJECT_CHANGED:
    case EVENT_TYPE.OBJECT_DELETED:
      return 1;
    case EVENT_TYPE.OBJECT_SAVED:
      return 2;
    default:
      return 0;
  }
}

function mentionsStatus(template: AnyTemplate): boolean {
  return /STATUS|getStatus\(/.test(JSON.stringify(template.eventConditions ?? []));
}

/** How to make `template` fire, from what Kaltura will allow and what it listens to. */
export function planTrigger(template: AnyTemplate, options: { ignoreManualDispatch?: boolean } = {}): TriggerPlan {
  if (template.manualDispatchEnabled === true && !options.ignoreManualDispatch) return { kind: 'dispatch' };
  const eventType = String(template.eventType ?? '');
  const objectType = String(template.eventObjectType ?? '');
  const what = `${eventTypeName(eventType) ?? `event ${eventType}`} of ${eventObjectTypeName(objectType) ?? `object type ${objectType}`}`;
  const kmc = `cause it in the KMC, or enable manual dispatch from the Admin Console`;
  if (objectType === EVENT_OBJECT_TYPE.CATEGORY || objectType === EVENT_OBJECT_TYPE.CATEGORYENTRY) {
    const expected = addAndDeleteNotifications(eventType);
    if (objectType === EVENT_OBJECT_TYPE.CATEGORYENTRY && mentionsStatus(template)) {
      return {
        kind: 'unsupported',
        message:
          `template #${template.id} fires on ${what} when an assignment's status changes (a moderated category's entry is approved or rejected), ` +
          `which the workbench cannot cause; approve an entry in a moderated category in the KMC, or enable manual dispatch from the Admin Console`,
      };
    }
    if (expected === 0) return { kind: 'unsupported', message: `template #${template.id} fires on ${what}, which the workbench cannot cause; ${kmc}` };
    return objectType === EVENT_OBJECT_TYPE.CATEGORY ? { kind: 'category', expected } : { kind: 'category-entry', expected };
  }
  if (objectType !== EVENT_OBJECT_TYPE.ENTRY) {
    return {
      kind: 'unsupported',
      message:
        `template #${template.id} fires on ${what}, and Kaltura does not dispatch it by hand on this partner (manual dispatch is off); ` +
        'the workbench can cause entry, category and category-entry events only. Cause the event in the KMC, or register a template ' +
        'that listens to entries (Entry Status Changed, Entry Changed) or categories (Entry Added to Category).',
    };
  }
  if (Number(template.eventDelayedCondition ?? 0) === 1) return { kind: 'new-entry', why: 'it waits until a new entry is READY' };
  switch (eventType) {
    case EVENT_TYPE.OBJECT_ADDED:
    case EVENT_TYPE.OBJECT_CREATED:
    case EVENT_TYPE.OBJECT_SAVED:
      return { kind: 'new-entry', why: 'it fires when an entry is added' };
    case EVENT_TYPE.OBJECT_DELETED:
      return { kind: 'new-entry-then-delete' };
    case EVENT_TYPE.OBJECT_CHANGED:
    case EVENT_TYPE.OBJECT_UPDATED:
    case EVENT_TYPE.OBJECT_DATA_CHANGED:
      return mentionsStatus(template) ? { kind: 'new-entry', why: "its conditions need an entry's status to change" } : { kind: 'touch-entry' };
    default:
      return {
        kind: 'unsupported',
        message: `template #${template.id} fires on ${what}, which the workbench cannot cause; ${kmc}`,
      };
  }
}

export interface TriggerOptions extends RequestOptions {
  templates: EventNotificationTemplateService;
  media: MediaEntryService;
  categories: CategoryService;
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
    case 'category-entry': {
      const entryId = requireEntry(options.entryId, template, 'assign to a category');
      await media.get(entryId, { signal });
      const category = await addTriggerCategory(options.categories, template, signal);
      try {
        await options.categories.addEntry(entryId, category.id, { signal });
        await options.categories.removeEntry(entryId, category.id, { signal });
      } finally {
        await options.categories.delete(category.id, { signal });
      }
      return {
        action: 'category.add, categoryEntry.add, categoryEntry.delete, category.delete',
        summary:
          `${refused}assigned entry ${entryId} to a new category "${category.name ?? category.id}" (#${category.id}), removed it again and deleted the category; ` +
          `${plural(plan.expected)} (Kaltura sends them within 5–15 s)`,
        entryId,
        expected: plan.expected,
      };
    }
    case 'category': {
      const category = await addTriggerCategory(options.categories, template, signal);
      await options.categories.delete(category.id, { signal });
      return {
        action: 'category.add, category.delete',
        summary: `${refused}added the category "${category.name ?? category.id}" (#${category.id}) and deleted it again; ${plural(plan.expected)} (Kaltura sends them within 5–15 s)`,
        expected: plan.expected,
      };
    }
    case 'dispatch':
      throw new Error('unreachable: a refused dispatch is planned again without it');
  }
}

function plural(notifications: number): string {
  return notifications === 1 ? 'this fires the template once' : `this fires the template ${notifications} times`;
}

/** A root category whose name says who made it; unique, because Kaltura refuses a second category of the same name. */
async function addTriggerCategory(categories: CategoryService, template: AnyTemplate, signal?: AbortSignal) {
  return categories.add(
    {
      name: `Webhook Workbench trigger ${template.id} ${Date.now().toString(36)}`,
      description: 'Created by Kaltura Webhook Workbench to fire a webhook; deleted right away.',
      tags: TAG,
    },
    { signal },
  );
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

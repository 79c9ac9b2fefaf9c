// Turns events and manual dispatches into notification jobs: picks the matching ACTIVE templates (eventType,
// eventObjectType, eventConditions), honours eventDelayedCondition PENDING_ENTRY_READY, computes the body once per
// job (retries resend the same bytes) and hands the job to the sender.
import { conditionsMatch, evalParameters, type EventScope } from './conditions';
import { entryToApiObject, type EntryChange } from './entries';
import { buildNotificationBody, substituteParams } from './notificationBody';
import type { NotificationJob, NotificationSender } from './notificationSender';
import type { TemplateRecord, TemplateTable } from './templateTable';
import { EVENT_OBJECT_TYPE, EVENT_TYPE } from '../protocol/names';
import { ENTRY_STATUS, type ApiObject, type SandboxEntry } from './types';

const PENDING_ENTRY_READY = 1;

export interface DispatcherDeps {
  templates: TemplateTable;
  sender: NotificationSender;
  secretFor(partnerId: number): string | null;
  /** Warnings about expressions the sandbox could not evaluate (logged by the CLI). */
  warn(message: string): void;
}

interface DelayedJob {
  templateId: number;
  eventType: string;
  modifiedColumns: string[];
}

export class EventDispatcher {
  private nextJobId = 100000001;
  /** Jobs waiting for their entry to become READY, by entry id. */
  private readonly delayed = new Map<string, DelayedJob[]>();

  constructor(private readonly deps: DispatcherDeps) {}

  get lastJobId(): number {
    return this.nextJobId - 1;
  }

  setNextJobId(next: number): void {
    this.nextJobId = Math.max(this.nextJobId, next);
  }

  /** Builds and queues one job; returns its id (eventNotificationJobId). */
  createJob(template: TemplateRecord, partnerId: number, eventType: string, object: ApiObject | null, scope: EventScope, trigger: NotificationJob['trigger']): number {
    const jobId = this.nextJobId++;
    const props = template.props;
    if (template.type !== 'httpNotification.Http') return jobId; // e-mail and other engines: a job id, nothing sent
    const body = buildNotificationBody(
      (props.data as ApiObject | undefined) ?? null,
      {
        object,
        eventObjectType: String(props.eventObjectType ?? scope.object.objectType ?? ''),
        jobId,
        templateId: template.id,
        templateName: props.name as string | undefined,
        templateSystemName: props.systemName as string | undefined,
        eventType,
      },
      props,
      scope,
    );
    const params = evalParameters(props, scope);
    const headers = (Array.isArray(props.customHeaders) ? props.customHeaders : []) as Array<{ key: string; value: string }>;
    const job: NotificationJob = {
      jobId,
      partnerId,
      templateId: template.id,
      ...(typeof props.systemName === 'string' && { templateSystemName: props.systemName }),
      trigger,
      eventType,
      ...(typeof scope.object.id === 'string' && { objectId: scope.object.id }),
      url: String(props.url ?? ''),
      method: Number(props.method ?? 2),
      body: body.body,
      contentType: body.contentType,
      signSecret: this.deps.secretFor(partnerId),
      secureHashingAlgo: props.secureHashingAlgo as number | undefined,
      customHeaders: headers.map((h) => [substituteParams(h.key, params), substituteParams(h.value, params)]),
      ...(typeof props.username === 'string' && { username: props.username }),
      ...(typeof props.password === 'string' && { password: props.password }),
      ...(typeof props.timeout === 'number' && { timeout: props.timeout }),
      ...(typeof props.connectTimeout === 'number' && { connectTimeout: props.connectTimeout }),
    };
    this.deps.sender.send(job);
    return jobId;
  }

  private scopeFor(entry: SandboxEntry, modifiedColumns: string[]): EventScope {
    return { object: entryToApiObject(entry), partnerId: entry.partnerId, modifiedColumns };
  }

  private fire(entry: SandboxEntry, eventTypes: string[], modifiedColumns: string[]): number[] {
    return this.fireFor(entry.partnerId, EVENT_OBJECT_TYPE.ENTRY, this.scopeFor(entry, modifiedColumns), eventTypes, entry);
  }

  /**
   * Jobs for every ACTIVE template of the partner listening to one of `eventTypes` on `objectType` whose conditions
   * match. PENDING_ENTRY_READY holds a job until its entry is READY, so it applies to entry events only.
   */
  private fireFor(partnerId: number, objectType: string, scope: EventScope, eventTypes: string[], entry?: SandboxEntry): number[] {
    const jobs: number[] = [];
    for (const eventType of eventTypes) {
      for (const template of this.deps.templates.activeFor(partnerId)) {
        if (String(template.props.eventType) !== eventType || String(template.props.eventObjectType) !== objectType) continue;
        const match = conditionsMatch(template.props.eventConditions, scope);
        for (const expression of match.unsupported) {
          this.deps.warn(`template ${template.id} (${String(template.props.systemName ?? template.props.name)}): the sandbox cannot evaluate "${expression}", so the condition counts as false`);
        }
        if (!match.value) continue;
        if (entry && Number(template.props.eventDelayedCondition ?? 0) === PENDING_ENTRY_READY && entry.status !== ENTRY_STATUS.READY) {
          const list = this.delayed.get(entry.id) ?? [];
          list.push({ templateId: template.id, eventType, modifiedColumns: scope.modifiedColumns });
          this.delayed.set(entry.id, list);
          continue;
        }
        jobs.push(this.createJob(template, partnerId, eventType, scope.object, scope, 'event'));
      }
    }
    return jobs;
  }

  /** Releases jobs held by PENDING_ENTRY_READY once the entry is READY (the object is taken as it is now). */
  private releaseDelayed(entry: SandboxEntry): number[] {
    const waiting = this.delayed.get(entry.id);
    if (!waiting || entry.status !== ENTRY_STATUS.READY) return [];
    this.delayed.delete(entry.id);
    const jobs: number[] = [];
    for (const item of waiting) {
      const template = this.deps.templates.templates.get(item.templateId);
      if (!template || template.status !== 2) continue;
      const scope = this.scopeFor(entry, item.modifiedColumns);
      jobs.push(this.createJob(template, entry.partnerId, item.eventType, scope.object, scope, 'event'));
    }
    return jobs;
  }

  /** add: OBJECT_CREATED, OBJECT_ADDED, OBJECT_SAVED (postInsert, then the entry-added event, then postSave). */
  entryAdded(change: EntryChange): number[] {
    return this.fire(change.entry, [EVENT_TYPE.OBJECT_CREATED, EVENT_TYPE.OBJECT_ADDED, EVENT_TYPE.OBJECT_SAVED], change.modifiedColumns);
  }

  /** update: OBJECT_CHANGED (only when a column changed), OBJECT_UPDATED, OBJECT_SAVED. */
  entryUpdated(change: EntryChange): number[] {
    if (change.modifiedColumns.length === 0) return [];
    const jobs = this.fire(change.entry, [EVENT_TYPE.OBJECT_CHANGED, EVENT_TYPE.OBJECT_UPDATED, EVENT_TYPE.OBJECT_SAVED], change.modifiedColumns);
    return [...jobs, ...this.releaseDelayed(change.entry)];
  }

  /** delete: the status change to DELETED (OBJECT_CHANGED) then OBJECT_DELETED. Held jobs are dropped. */
  entryDeleted(change: EntryChange): number[] {
    this.delayed.delete(change.entry.id);
    return this.fire(change.entry, [EVENT_TYPE.OBJECT_CHANGED, EVENT_TYPE.OBJECT_DELETED], change.modifiedColumns);
  }

  /**
   * An object other than an entry was added (postInsert, the added event, postSave), e.g. a category or an entry's
   * assignment to one (categoryEntry::postInsert).
   */
  objectAdded(partnerId: number, objectType: string, object: ApiObject, modifiedColumns: string[]): number[] {
    const scope: EventScope = { object, partnerId, modifiedColumns };
    return this.fireFor(partnerId, objectType, scope, [EVENT_TYPE.OBJECT_CREATED, EVENT_TYPE.OBJECT_ADDED, EVENT_TYPE.OBJECT_SAVED]);
  }

  /** An object other than an entry was set DELETED: the column change, the deleted event, postSave (categoryEntry::postUpdate). */
  objectDeleted(partnerId: number, objectType: string, object: ApiObject, modifiedColumns: string[]): number[] {
    const scope: EventScope = { object, partnerId, modifiedColumns };
    return this.fireFor(partnerId, objectType, scope, [EVENT_TYPE.OBJECT_CHANGED, EVENT_TYPE.OBJECT_DELETED, EVENT_TYPE.OBJECT_SAVED]);
  }

  /** Jobs waiting for READY (for the admin view). */
  delayedJobs(): Array<{ entryId: string } & DelayedJob> {
    return [...this.delayed].flatMap(([entryId, list]) => list.map((j) => ({ entryId, ...j })));
  }
}

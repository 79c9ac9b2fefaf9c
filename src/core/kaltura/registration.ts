// Registering the workbench as a Kaltura webhook: clone a system HTTP template, point it at the public URL,
// make it send signed JSON, activate it. Every template the workbench creates is recorded on disk, so it can be
// re-pointed when the tunnel URL changes and disabled or deleted on stop — also after a crash, when the next
// start finds the earlier session's templates as orphans.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TUNNEL_BYPASS_HEADERS } from '../../protocol/tunnelHeaders';
import { isKalturaApiError } from './errors';
import { webhookUrlRefusal } from './urlPreflight';
import {
  HTTP_TEMPLATE_TYPE,
  HttpMethod,
  ResponseFormat,
  SecureHashingAlgo,
  TemplateStatus,
  type AnyTemplate,
  type KalturaKeyValue,
} from './schemas';
import type { EventNotificationTemplateService } from './templateService';
import { checkPublicUrl } from '../../protocol/publicUrl';

/** Custom header carrying the per-workspace token, so the receiver can tell its own templates' requests. */
export const WORKBENCH_TOKEN_HEADER = 'X-Kwh-Token';
/** Path prefix of template URLs: `/kaltura/<systemName>` identifies the template that sent a request. */
export const KALTURA_TEMPLATE_PATH_PREFIX = '/kaltura/';
/** Prefix of the systemName of every template the workbench creates. */
export const WORKBENCH_SYSTEM_NAME_PREFIX = 'kwh_';

/** API object class per KalturaEventNotificationEventObjectType, for KalturaHttpNotificationObjectData. */
const API_OBJECT_TYPES: Readonly<Record<string, string>> = {
  '1': 'KalturaMediaEntry',
  '2': 'KalturaCategory',
  '3': 'KalturaAsset',
  '4': 'KalturaFlavorAsset',
  '5': 'KalturaThumbAsset',
  '8': 'KalturaUser',
  '9': 'KalturaAccessControl',
  '10': 'KalturaBatchJob',
  '11': 'KalturaBulkUploadResult',
  '12': 'KalturaCategoryUser',
  '14': 'KalturaConversionProfile',
  '15': 'KalturaFlavorParams',
  '17': 'KalturaFlavorParamsOutput',
  '20': 'KalturaPartner',
  '21': 'KalturaPermission',
  '22': 'KalturaPermissionItem',
  '28': 'KalturaStorageProfile',
  '29': 'KalturaBaseSyndicationFeed',
  '31': 'KalturaThumbParams',
  '32': 'KalturaThumbParamsOutput',
  '33': 'KalturaUploadToken',
  '35': 'KalturaUserRole',
  '36': 'KalturaWidget',
  '37': 'KalturaCategoryEntry',
  '38': 'KalturaLiveStreamEntry',
  '39': 'KalturaServerNode',
  '41': 'KalturaReachProfile',
  '42': 'KalturaEntryVendorTask',
  '43': 'KalturaGroupUser',
  '44': 'KalturaUserEntry',
  'metadataEventNotifications.Metadata': 'KalturaMetadata',
  'captionAssetEventNotifications.CaptionAsset': 'KalturaCaptionAsset',
  'cuePointEventNotifications.CuePoint': 'KalturaCuePoint',
  'contentDistributionEventNotifications.EntryDistribution': 'KalturaEntryDistribution',
  'scheduleEventNotifications.ScheduleEvent': 'KalturaScheduleEvent',
  'virtualEventEventNotifications.VirtualEvent': 'KalturaVirtualEvent',
};

export function apiObjectTypeFor(eventObjectType: string | number | undefined): string | undefined {
  if (eventObjectType === undefined) return undefined;
  return API_OBJECT_TYPES[String(eventObjectType).trim()];
}

/** `kwh_<source>_<6 hex>`: unique per clone (Kaltura refuses duplicate systemNames), recognisably ours. */
export function workbenchSystemName(sourceSystemName: string, suffix: string = randomBytes(3).toString('hex')): string {
  const base = sourceSystemName.replace(/[^A-Za-z0-9_]/g, '_').replace(/^kwh_/, '').slice(0, 80) || 'template';
  return `${WORKBENCH_SYSTEM_NAME_PREFIX}${base}_${suffix}`;
}

/** Checks and normalises the public base URL (tunnel or external URL); no trailing slash. */
export function normalisePublicBaseUrl(input: string): string {
  const checked = checkPublicUrl(input);
  if (!checked.ok) throw new RangeError(`the public URL "${input}" ${checked.problem}`);
  return checked.url;
}

export function templateUrl(publicBaseUrl: string, systemName: string): string {
  return `${normalisePublicBaseUrl(publicBaseUrl)}${KALTURA_TEMPLATE_PATH_PREFIX}${encodeURIComponent(systemName)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Registry

const registryRecordSchema = z.object({
  systemName: z.string().min(1),
  /** Absent while the clone is in flight (a crash then leaves a record that is resolved by systemName). */
  id: z.number().int().optional(),
  sourceId: z.number().int().optional(),
  sourceSystemName: z.string().optional(),
  name: z.string().optional(),
  url: z.string(),
  sessionId: z.string(),
  state: z.enum(['pending', 'active', 'disabled']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RegistryRecord = z.infer<typeof registryRecordSchema>;

const registryFileSchema = z.looseObject({
  version: z.literal(1),
  partnerId: z.number(),
  serviceUrl: z.string(),
  records: z.array(registryRecordSchema),
});
type RegistryFile = z.infer<typeof registryFileSchema>;

export interface RegistryOutcome {
  record: RegistryRecord;
  action: 'repointed' | 'disabled' | 'deleted' | 'gone';
  ok: boolean;
  error?: Error;
}

export interface Orphan {
  record: RegistryRecord;
  template: AnyTemplate;
  /** The recording process may still be running (another window); ask before touching its templates. */
  ownerMaybeAlive: boolean;
}

export interface TemplateRegistryOptions {
  /** Where the registry files live (the extension's global storage, or ~/.kwh/registry for the CLI). */
  directory: string;
  templates: EventNotificationTemplateService;
  /** Identifies this process's session; default `<pid>@<start time ISO>`. */
  sessionId?: string;
}

function pidOfSession(sessionId: string): number | undefined {
  const pid = Number(sessionId.split('@')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function newRegistrySessionId(): string {
  return `${process.pid}@${new Date().toISOString()}`;
}

export class TemplateRegistry {
  readonly directory: string;
  readonly templates: EventNotificationTemplateService;
  readonly sessionId: string;
  readonly partnerId: number;
  readonly serviceUrl: string;
  readonly filePath: string;
  /** Problems met while reading the file (a corrupt file is moved aside, not fatal). */
  readonly warnings: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: TemplateRegistryOptions) {
    this.directory = options.directory;
    this.templates = options.templates;
    this.sessionId = options.sessionId ?? newRegistrySessionId();
    this.partnerId = options.templates.session.partnerId;
    this.serviceUrl = options.templates.session.client.serviceUrl;
    const key = createHash('sha1').update(`${this.partnerId}|${this.serviceUrl}`).digest('hex').slice(0, 12);
    this.filePath = join(this.directory, `templates-${this.partnerId}-${key}.json`);
  }

  private async read(): Promise<RegistryFile> {
    const empty: RegistryFile = { version: 1, partnerId: this.partnerId, serviceUrl: this.serviceUrl, records: [] };
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty;
      throw err;
    }
    try {
      return registryFileSchema.parse(JSON.parse(text));
    } catch (err) {
      const aside = `${this.filePath}.corrupt-${Date.now()}`;
      await rename(this.filePath, aside).catch(() => {});
      this.warnings.push(`the template registry ${this.filePath} was unreadable (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); moved it to ${aside} and started empty`);
      return empty;
    }
  }

  private async write(file: RegistryFile): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const temp = `${this.filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
    await rename(temp, this.filePath);
  }

  /** Read-modify-write, serialised within the process; re-reads the file so other processes' records survive. */
  private mutate<T>(change: (records: RegistryRecord[]) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const file = await this.read();
      const result = change(file.records);
      await this.write(file);
      return result;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  async list(): Promise<RegistryRecord[]> {
    await this.queue;
    return (await this.read()).records;
  }

  /** Records made by this process's session. */
  async ownRecords(): Promise<RegistryRecord[]> {
    return (await this.list()).filter((r) => r.sessionId === this.sessionId);
  }

  /** Adds or replaces the record with the same systemName. */
  async upsert(record: Omit<RegistryRecord, 'sessionId' | 'createdAt' | 'updatedAt'> & Partial<Pick<RegistryRecord, 'sessionId' | 'createdAt'>>): Promise<RegistryRecord> {
    const now = new Date().toISOString();
    return this.mutate((records) => {
      const index = records.findIndex((r) => r.systemName === record.systemName);
      const previous = index === -1 ? undefined : records[index];
      const full: RegistryRecord = {
        ...previous,
        ...record,
        sessionId: record.sessionId ?? previous?.sessionId ?? this.sessionId,
        createdAt: record.createdAt ?? previous?.createdAt ?? now,
        updatedAt: now,
      };
      if (index === -1) records.push(full);
      else records[index] = full;
      return full;
    });
  }

  async forget(systemName: string): Promise<void> {
    await this.mutate((records) => {
      const index = records.findIndex((r) => r.systemName === systemName);
      if (index !== -1) records.splice(index, 1);
    });
  }

  /** Makes earlier sessions' records this session's, so re-point and cleanup cover them. */
  async adopt(records: RegistryRecord[]): Promise<void> {
    const names = new Set(records.map((r) => r.systemName));
    await this.mutate((all) => {
      for (const r of all) if (names.has(r.systemName)) r.sessionId = this.sessionId;
    });
  }

  /** Fills in the id of a record whose clone was in flight, by looking the systemName up on the server. */
  private async resolvePending(record: RegistryRecord, signal?: AbortSignal): Promise<RegistryRecord | undefined> {
    if (record.id !== undefined) return record;
    const page = await this.templates.list({ systemNameEqual: record.systemName }, { pageSize: 5, pageIndex: 1 }, { signal });
    const found = page.objects.find((t) => t.systemName === record.systemName);
    if (!found) {
      await this.forget(record.systemName);
      return undefined;
    }
    return this.upsert({ ...record, id: found.id, state: found.status === TemplateStatus.ACTIVE ? 'active' : 'disabled' });
  }

  /** Points every template of this session at `newBaseUrl` (keeping each template's own path). */
  async rePoint(newBaseUrl: string, options: { signal?: AbortSignal } = {}): Promise<RegistryOutcome[]> {
    const base = normalisePublicBaseUrl(newBaseUrl);
    const outcomes: RegistryOutcome[] = [];
    for (const initial of await this.ownRecords()) {
      const record = await this.resolvePending(initial, options.signal);
      if (!record || record.id === undefined) continue;
      const url = templateUrl(base, record.systemName);
      try {
        await this.templates.update(record.id, { objectType: 'KalturaHttpNotificationTemplate', url }, { signal: options.signal });
        outcomes.push({ record: await this.upsert({ ...record, url }), action: 'repointed', ok: true });
      } catch (err) {
        outcomes.push(await this.outcomeForFailure(record, 'repointed', err));
      }
    }
    return outcomes;
  }

  /** Points one of the partner's templates at `baseUrl`; its record follows when this registry holds one. */
  async pointTemplate(template: { id: number; systemName?: string | undefined }, baseUrl: string): Promise<string> {
    const url = templateUrl(baseUrl, template.systemName || `template_${template.id}`);
    await this.templates.update(template.id, { objectType: 'KalturaHttpNotificationTemplate', url });
    const record = (await this.list()).find((r) => r.id === template.id);
    if (record) await this.upsert({ ...record, url });
    return url;
  }

  /** Deletes one of the partner's templates; a recorded one leaves the registry. */
  async deleteTemplate(template: { id: number; systemName?: string | undefined }): Promise<void> {
    await this.templates.delete(template.id);
    if (template.systemName) await this.forget(template.systemName);
  }

  /**
   * Disables or deletes the templates of this session (or the given records, e.g. orphans). Deleted and vanished
   * templates leave the registry; disabled ones stay recorded so a later run can delete them.
   */
  async cleanup(mode: 'disable' | 'delete', options: { records?: RegistryRecord[]; signal?: AbortSignal } = {}): Promise<RegistryOutcome[]> {
    const outcomes: RegistryOutcome[] = [];
    for (const initial of options.records ?? (await this.ownRecords())) {
      const record = await this.resolvePending(initial, options.signal).catch(() => initial);
      if (!record || record.id === undefined) continue;
      try {
        if (mode === 'delete') {
          await this.templates.delete(record.id, { signal: options.signal });
          await this.forget(record.systemName);
          outcomes.push({ record, action: 'deleted', ok: true });
        } else {
          const disabled = await this.templates.updateStatus(record.id, TemplateStatus.DISABLED, { signal: options.signal });
          // The user may have renamed it since it was registered: keep (and report) the name it has now.
          const name = disabled.name ?? record.name;
          outcomes.push({ record: await this.upsert({ ...record, ...(name !== undefined && { name }), state: 'disabled' }), action: 'disabled', ok: true });
        }
      } catch (err) {
        outcomes.push(await this.outcomeForFailure(record, mode === 'delete' ? 'deleted' : 'disabled', err));
      }
    }
    return outcomes;
  }

  private async outcomeForFailure(record: RegistryRecord, action: RegistryOutcome['action'], err: unknown): Promise<RegistryOutcome> {
    if (isKalturaApiError(err, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND')) {
      // Someone deleted it already: nothing left to manage.
      await this.forget(record.systemName);
      return { record, action: 'gone', ok: true };
    }
    return { record, action, ok: false, error: err instanceof Error ? err : new Error(String(err)) };
  }

  /**
   * Templates recorded by other (earlier) sessions that are still ACTIVE on the server: left behind by a process
   * that did not clean up. Records of templates that no longer exist are dropped on the way.
   */
  async findOrphans(options: { signal?: AbortSignal } = {}): Promise<Orphan[]> {
    const orphans: Orphan[] = [];
    for (const initial of await this.list()) {
      if (initial.sessionId === this.sessionId) continue;
      const record = await this.resolvePending(initial, options.signal);
      if (!record || record.id === undefined) continue;
      let template: AnyTemplate;
      try {
        template = await this.templates.get(record.id, { signal: options.signal });
      } catch (err) {
        if (isKalturaApiError(err, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND')) {
          await this.forget(record.systemName);
          continue;
        }
        throw err;
      }
      if (template.status !== TemplateStatus.ACTIVE) continue;
      const pid = pidOfSession(record.sessionId);
      orphans.push({ record, template, ownerMaybeAlive: pid !== undefined && pid !== process.pid && processAlive(pid) });
    }
    return orphans;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Workflow

export interface RegisterWebhookOptions {
  registry: TemplateRegistry;
  /** The system template to start from: its systemName (e.g. HTTP_ENTRY_STATUS_CHANGED) or numeric id. */
  template: string | number;
  /** Public base URL of the receiver (tunnel or external URL). */
  publicBaseUrl: string;
  /** Sent in the WORKBENCH_TOKEN_HEADER header of every notification. */
  workspaceToken: string;
  /** Default SHA_256 (2). */
  secureHashingAlgo?: 1 | 2 | 3;
  /** Default `kwh_<source>_<random>`. */
  systemName?: string;
  name?: string;
  /** Default: derived from the template's eventObjectType. */
  apiObjectType?: string;
  /**
   * Asks for manual dispatch. Left out by default: an ordinary partner may not set it (kaltura-protocol.md §4.2), and
   * Kaltura would drop it; set it only for a partner the Admin Console granted the permission.
   */
  manualDispatchEnabled?: boolean;
  extraHeaders?: KalturaKeyValue[];
  signal?: AbortSignal;
}

export interface RegisteredWebhook {
  source: AnyTemplate;
  template: AnyTemplate;
  record: RegistryRecord;
  url: string;
  /** What was asked for and not applied: Kaltura silently drops members an ordinary partner may not set (§4.2). */
  notApplied: string[];
}

/** What the registered template cannot do on this partner, and what the workbench does instead, in words for the user. */
export function describeNotApplied(requested: { manualDispatchEnabled?: boolean }, template: AnyTemplate): string[] {
  const out: string[] = [];
  if (template.manualDispatchEnabled !== true) {
    out.push(
      `manual dispatch is not available for this template on your partner (only Kaltura's Admin Console may turn it on${requested.manualDispatchEnabled ? '; the request for it was dropped' : ''}); ` +
        'Dispatch causes the event the template listens to instead',
    );
  }
  return out;
}

function isHttpTemplate(t: AnyTemplate): boolean {
  return t.type === HTTP_TEMPLATE_TYPE || t.objectType === 'KalturaHttpNotificationTemplate';
}

/** Finds a system (partner 0) template by systemName or id, with an error that lists what exists. */
export async function findSystemTemplate(templates: EventNotificationTemplateService, ref: string | number, signal?: AbortSignal): Promise<AnyTemplate> {
  const asId = typeof ref === 'number' ? ref : /^\d+$/.test(ref.trim()) ? Number(ref.trim()) : undefined;
  const filter = asId !== undefined ? { idEqual: asId } : { systemNameEqual: String(ref).trim() };
  const page = await templates.listTemplates(filter, { pageSize: 10, pageIndex: 1 }, { signal });
  const found = page.objects.find((t) => (asId !== undefined ? t.id === asId : t.systemName === String(ref).trim()));
  if (found) return found;
  const http = await templates.listAllTemplates({ typeEqual: HTTP_TEMPLATE_TYPE }, { signal });
  const names = http.map((t) => t.systemName ?? String(t.id)).slice(0, 15);
  throw new RangeError(
    `no system template "${ref}" on this server; HTTP system templates available: ${names.join(', ') || '(none)'}. ` +
      'Run `kwh templates system` for the full list.',
  );
}

export async function registerWebhook(options: RegisterWebhookOptions): Promise<RegisteredWebhook> {
  const { registry, signal } = options;
  const templates = registry.templates;
  const token = options.workspaceToken;
  if (!token || /[\r\n]/.test(token)) throw new RangeError('the workspace token must be a non-empty single-line string');
  const base = normalisePublicBaseUrl(options.publicBaseUrl);
  const refusal = webhookUrlRefusal(registry.templates.session.client.serviceUrl, base);
  if (refusal) throw new RangeError(refusal);

  const source = await findSystemTemplate(templates, options.template, signal);
  if (!isHttpTemplate(source)) {
    throw new RangeError(`template ${source.id} (${source.systemName ?? source.name ?? '?'}) is of type ${source.type ?? source.objectType}, not an HTTP notification template; pick one from \`kwh templates system\``);
  }
  const apiObjectType = options.apiObjectType ?? source.data?.apiObjectType ?? apiObjectTypeFor(source.eventObjectType);
  if (!apiObjectType) {
    throw new RangeError(`cannot tell which API object to send for eventObjectType "${String(source.eventObjectType)}"; pass apiObjectType (e.g. KalturaMediaEntry)`);
  }
  const systemName = options.systemName ?? workbenchSystemName(source.systemName ?? `template_${source.id}`);
  const url = templateUrl(base, systemName);
  const headers: KalturaKeyValue[] = [
    ...TUNNEL_BYPASS_HEADERS.map((h) => ({ key: h.key, value: h.value })),
    { key: WORKBENCH_TOKEN_HEADER, value: token },
    ...(options.extraHeaders ?? []),
  ];
  const overrides = {
    objectType: 'KalturaHttpNotificationTemplate',
    systemName,
    name: options.name ?? `${source.name ?? source.systemName ?? 'Template'} (Webhook Workbench)`,
    url,
    method: HttpMethod.POST,
    data: {
      objectType: 'KalturaHttpNotificationObjectData',
      apiObjectType,
      format: ResponseFormat.JSON,
      ignoreNull: true,
      code: '$scope->getObject()',
    },
    secureHashingAlgo: options.secureHashingAlgo ?? SecureHashingAlgo.SHA_256,
    customHeaders: headers.map((h) => ({ objectType: 'KalturaKeyValue', key: h.key, value: h.value })),
    ...(options.manualDispatchEnabled !== undefined && { manualDispatchEnabled: options.manualDispatchEnabled }),
  };

  // Recorded before the clone, so a crash in between still leaves a trace that findOrphans can resolve.
  await registry.upsert({ systemName, sourceId: source.id, sourceSystemName: source.systemName, name: overrides.name, url, state: 'pending' });
  let clone: AnyTemplate;
  try {
    clone = await templates.clone(source.id, overrides, { signal });
  } catch (err) {
    // A typed API error means no clone exists. A transport failure (timeout, reset, 5xx) may have hit after the
    // server created it: keep the pending record so findOrphans can still find it by systemName.
    if (isKalturaApiError(err)) await registry.forget(systemName);
    throw err;
  }
  let record = await registry.upsert({ systemName, id: clone.id, sourceId: source.id, sourceSystemName: source.systemName, name: overrides.name, url, state: 'pending' });
  try {
    const active = await templates.activate(clone.id, { signal });
    record = await registry.upsert({ ...record, state: 'active' });
    return { source, template: active, record, url, notApplied: describeNotApplied(overrides, active) };
  } catch (err) {
    // Do not leave a half-made template behind; if it cannot be deleted now, keep the record so that cleanup and
    // findOrphans can still reach it once the API answers again.
    const deleted = await templates.delete(clone.id).then(
      () => true,
      () => false,
    );
    if (deleted) await registry.forget(systemName);
    throw err;
  }
}

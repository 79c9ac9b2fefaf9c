// The eventNotificationTemplate store with the service semantics of kaltura-protocol.md §4: partner 0 system
// templates that only clone and listTemplates see, clone keeping the source status, a systemName unique among the
// partner's ACTIVE templates, what an ordinary partner may not set (§4.2), soft delete, filters and paging.
import { errors } from './apiErrors';
import { dropAdminConsoleMembers, type PermissionNotice } from './partnerPermissions';
import { SYSTEM_TEMPLATES } from './systemTemplates';
import { classByObjectType, classByType, parseTemplateInput, zInt, zStr, type TemplateProps } from './templateSchema';
import type { ApiObject } from './types';

export const TEMPLATE_STATUS = { DISABLED: 1, ACTIVE: 2, DELETED: 3 } as const;
export const SYSTEM_PARTNER_ID = 0;

export interface TemplateRecord {
  id: number;
  partnerId: number;
  type: string;
  status: number;
  createdAt: number;
  updatedAt: number;
  props: TemplateProps;
}

/** Who calls: the partner acted for, and whether the KS is the Admin Console's (partner -2), which may set everything. */
export interface Caller {
  partnerId: number;
  adminConsole: boolean;
  /** Receives the response headers naming members that were not applied. */
  notices: PermissionNotice[];
}

export interface ListResult {
  objects: ApiObject[];
  totalCount: number;
}

const now = (): number => Math.floor(Date.now() / 1000);

function csv(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return String(value).split(',').map((s) => s.trim()).filter(Boolean);
}

function num(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = zInt.safeParse(value);
  if (!parsed.success) throw errors.invalidParameter(name, 'expected an integer');
  return parsed.data;
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = zStr.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const ORDER_BY: Record<string, (t: TemplateRecord) => number> = {
  createdAt: (t) => t.createdAt * 1e9 + t.id,
  updatedAt: (t) => t.updatedAt * 1e9 + t.id,
  id: (t) => t.id,
};

/** The sandbox's notification templates, as Kaltura's database holds them (the client's record of what it registered is core/kaltura TemplateRegistry). */
export class TemplateTable {
  readonly templates = new Map<number, TemplateRecord>();
  private nextId = 1001;

  constructor(seedSystemTemplates = true) {
    if (seedSystemTemplates) {
      for (const def of SYSTEM_TEMPLATES) this.insert(SYSTEM_PARTNER_ID, def.type, TEMPLATE_STATUS.DISABLED, def.props);
    }
    this.nextId = Math.max(this.nextId, 10001);
  }

  /**
   * Restores persisted templates (ids keep counting after the highest one). System templates are reset to the
   * shipped definitions, so a state file written by an older, friendlier sandbox follows today's rules.
   */
  load(records: TemplateRecord[]): void {
    const shipped = new Map(SYSTEM_TEMPLATES.map((def) => [def.props.systemName, def]));
    for (const record of records) {
      const def = record.partnerId === SYSTEM_PARTNER_ID ? shipped.get(record.props.systemName) : undefined;
      if (def) Object.assign(record, { status: TEMPLATE_STATUS.DISABLED, props: clean(structuredClone(def.props)) });
      this.templates.set(record.id, record);
      this.nextId = Math.max(this.nextId, record.id + 1);
    }
  }

  private insert(partnerId: number, type: string, status: number, props: TemplateProps): TemplateRecord {
    const at = now();
    const record: TemplateRecord = { id: this.nextId++, partnerId, type, status, createdAt: at, updatedAt: at, props: clean(props) };
    this.templates.set(record.id, record);
    return record;
  }

  /** The API object, members in class order, nulls omitted, objectType last (KalturaJsonSerializer). */
  toApiObject(record: TemplateRecord): ApiObject {
    const cls = classByType(record.type);
    const out: ApiObject = { id: record.id, partnerId: record.partnerId };
    const fields = cls ? cls.fields : (Object.keys(record.props) as Array<keyof TemplateProps>);
    const ordered: Record<string, unknown> = {};
    for (const field of fields) {
      const value = record.props[field];
      if (value !== undefined && value !== null) ordered[field] = value;
    }
    const { name, systemName, description, ...rest } = ordered;
    Object.assign(out, clean({ name, systemName, description }), {
      type: record.type,
      status: record.status,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    }, rest);
    // Never set reads back as SHA1 (the column's default).
    if (record.type === 'httpNotification.Http' && out.secureHashingAlgo === undefined) out.secureHashingAlgo = 1;
    out.objectType = cls ? cls.objectType : 'KalturaEventNotificationTemplate';
    return out;
  }

  /** A template clone may start from: the partner's own or a system (partner 0) one, not deleted. */
  getCloneSource(partnerId: number, id: number): TemplateRecord {
    const record = this.templates.get(id);
    if (!record || record.status === TEMPLATE_STATUS.DELETED || (record.partnerId !== partnerId && record.partnerId !== SYSTEM_PARTNER_ID)) {
      throw errors.templateNotFound(id);
    }
    return record;
  }

  /** A template of the partner: get, update, updateStatus, delete and dispatch never see partner 0's. */
  getOwn(partnerId: number, id: number): TemplateRecord {
    const record = this.templates.get(id);
    if (!record || record.status === TEMPLATE_STATUS.DELETED || record.partnerId !== partnerId) throw errors.templateNotFound(id);
    return record;
  }

  /** retrieveBySystemName: only the partner's ACTIVE templates count, and the excluded id only when one is given. */
  private assertUniqueSystemName(partnerId: number, systemName: unknown, exceptId?: number): void {
    if (typeof systemName !== 'string' || systemName.trim() === '') return;
    for (const t of this.templates.values()) {
      if (t.partnerId === partnerId && t.id !== exceptId && t.status === TEMPLATE_STATUS.ACTIVE && t.props.systemName === systemName) {
        throw errors.duplicateSystemName(systemName);
      }
    }
  }

  /** Permission: partner -2 only (service.eventnotification.eventnotificationtemplate.ini); everyone else clones. */
  add(caller: Caller, input: ApiObject): TemplateRecord {
    if (!caller.adminConsole) throw errors.serviceForbidden('eventnotification_eventnotificationtemplate->add');
    const cls = classByObjectType(input.objectType);
    if (!cls) {
      if (!input.objectType || input.objectType === 'KalturaEventNotificationTemplate') throw errors.objectTypeAbstract(input.objectType ?? 'KalturaEventNotificationTemplate');
      throw errors.wrongFormat('eventNotificationTemplate::objectType', `unsupported template class ${input.objectType}; use KalturaHttpNotificationTemplate`);
    }
    const props = parseTemplateInput({ ...input, type: undefined }, cls.objectType);
    this.assertUniqueSystemName(caller.partnerId, props.systemName);
    return this.insert(caller.partnerId, cls.type, TEMPLATE_STATUS.ACTIVE, { manualDispatchEnabled: false, automaticDispatchEnabled: true, ...props });
  }

  /** The copy keeps the source's status and members; overrides go through the update rules (toUpdatableObject). */
  clone(caller: Caller, sourceId: number, overrides?: ApiObject): TemplateRecord {
    const source = this.getCloneSource(caller.partnerId, sourceId);
    const cls = classByType(source.type);
    let props: TemplateProps = structuredClone(source.props);
    if (overrides) {
      // The override's class must be the source's class (PHP instanceof against the source's API class).
      if (!cls || overrides.objectType !== cls.objectType) throw errors.wrongType(sourceId, source.type);
      const changes = parseTemplateInput(overrides, cls.objectType, { values: { ...props, partnerId: source.partnerId, status: source.status } });
      if (!caller.adminConsole) caller.notices.push(...dropAdminConsoleMembers(changes, props, cls.objectType));
      props = { ...props, ...changes };
    }
    this.assertUniqueSystemName(caller.partnerId, props.systemName);
    return this.insert(caller.partnerId, source.type, source.status, props);
  }

  update(caller: Caller, id: number, input: ApiObject): TemplateRecord {
    const record = this.getOwn(caller.partnerId, id);
    const cls = classByType(record.type);
    const className = cls?.objectType ?? 'KalturaEventNotificationTemplate';
    if (input.objectType && input.objectType !== className && input.objectType !== 'KalturaEventNotificationTemplate') {
      throw errors.wrongType(id, record.type);
    }
    const values = { ...record.props, id: record.id, partnerId: record.partnerId, status: record.status, createdAt: record.createdAt, updatedAt: record.updatedAt };
    const changes = parseTemplateInput(input, className, { values });
    if (!caller.adminConsole) caller.notices.push(...dropAdminConsoleMembers(changes, record.props, className));
    if (changes.systemName !== undefined && changes.systemName !== record.props.systemName) {
      this.assertUniqueSystemName(caller.partnerId, changes.systemName, id);
    }
    record.props = clean({ ...record.props, ...changes });
    record.updatedAt = now();
    return record;
  }

  /** Activating re-checks the systemName without excluding the template itself: an ACTIVE one cannot be activated again. */
  updateStatus(caller: Caller, id: number, status: number): TemplateRecord {
    if (!Object.values(TEMPLATE_STATUS).includes(status as 1 | 2 | 3)) {
      throw errors.invalidEnumValue(String(status), 'status', 'KalturaEventNotificationTemplateStatus');
    }
    const record = this.getOwn(caller.partnerId, id);
    if (status === TEMPLATE_STATUS.ACTIVE) this.assertUniqueSystemName(caller.partnerId, record.props.systemName);
    record.status = status;
    record.updatedAt = now();
    return record;
  }

  delete(partnerId: number, id: number): void {
    const record = this.getOwn(partnerId, id);
    record.status = TEMPLATE_STATUS.DELETED;
    record.updatedAt = now();
  }

  /** Active templates of the partner that fire automatically (partner 0 templates never fire). */
  activeFor(partnerId: number): TemplateRecord[] {
    return [...this.templates.values()].filter(
      (t) => t.partnerId === partnerId && t.status === TEMPLATE_STATUS.ACTIVE && t.props.automaticDispatchEnabled !== false,
    );
  }

  /**
   * Filters (KalturaEventNotificationTemplateBaseFilter) and pages. `partners` restricts the partner ids
   * (listTemplates: [0]; list: [own]). Deleted templates are never listed, not even for statusEqual=3.
   */
  list(partners: number[], filterInput: unknown, pagerInput: unknown, defaultOrder = '-id'): ListResult {
    const filter = (filterInput && typeof filterInput === 'object' ? filterInput : {}) as Record<string, unknown>;
    const pager = (pagerInput && typeof pagerInput === 'object' ? pagerInput : {}) as Record<string, unknown>;
    const idEqual = num(filter.idEqual, 'filter:idEqual');
    const idIn = csv(filter.idIn)?.map(Number);
    const partnerIdEqual = num(filter.partnerIdEqual, 'filter:partnerIdEqual');
    const partnerIdIn = csv(filter.partnerIdIn)?.map(Number);
    const systemNameEqual = str(filter.systemNameEqual);
    const systemNameIn = csv(filter.systemNameIn);
    const typeEqual = str(filter.typeEqual);
    const typeIn = csv(filter.typeIn);
    const statusEqual = num(filter.statusEqual, 'filter:statusEqual');
    const statusIn = csv(filter.statusIn)?.map(Number);
    const createdFrom = num(filter.createdAtGreaterThanOrEqual, 'filter:createdAtGreaterThanOrEqual');
    const createdTo = num(filter.createdAtLessThanOrEqual, 'filter:createdAtLessThanOrEqual');
    const updatedFrom = num(filter.updatedAtGreaterThanOrEqual, 'filter:updatedAtGreaterThanOrEqual');
    const updatedTo = num(filter.updatedAtLessThanOrEqual, 'filter:updatedAtLessThanOrEqual');
    const orderBy = str(filter.orderBy) ?? defaultOrder;
    const order = /^([+-])(createdAt|updatedAt|id)$/.exec(orderBy);
    if (!order) throw errors.invalidParameter('filter:orderBy', `unknown order "${orderBy}"; use ±createdAt, ±updatedAt or ±id`);

    const matches = [...this.templates.values()].filter((t) =>
      partners.includes(t.partnerId) &&
      t.status !== TEMPLATE_STATUS.DELETED &&
      (idEqual === undefined || t.id === idEqual) &&
      (idIn === undefined || idIn.includes(t.id)) &&
      (partnerIdEqual === undefined || t.partnerId === partnerIdEqual) &&
      (partnerIdIn === undefined || partnerIdIn.includes(t.partnerId)) &&
      (systemNameEqual === undefined || t.props.systemName === systemNameEqual) &&
      (systemNameIn === undefined || systemNameIn.includes(String(t.props.systemName ?? ''))) &&
      (typeEqual === undefined || t.type === typeEqual) &&
      (typeIn === undefined || typeIn.includes(t.type)) &&
      (statusEqual === undefined || t.status === statusEqual) &&
      (statusIn === undefined || statusIn.includes(t.status)) &&
      (createdFrom === undefined || t.createdAt >= createdFrom) &&
      (createdTo === undefined || t.createdAt <= createdTo) &&
      (updatedFrom === undefined || t.updatedAt >= updatedFrom) &&
      (updatedTo === undefined || t.updatedAt <= updatedTo),
    );
    const key = ORDER_BY[order[2]!]!;
    const sign = order[1] === '-' ? -1 : 1;
    matches.sort((a, b) => sign * (key(a) - key(b)));

    let pageSize = num(pager.pageSize, 'pager:pageSize') ?? 30;
    if (pageSize <= 0) pageSize = 30;
    pageSize = Math.min(pageSize, 500);
    const pageIndex = Math.max(1, num(pager.pageIndex, 'pager:pageIndex') ?? 1);
    const page = matches.slice((pageIndex - 1) * pageSize, pageIndex * pageSize);
    return { objects: page.map((t) => this.toApiObject(t)), totalCount: matches.length };
  }
}

/** Drops undefined/null members (a null in an update clears the member). */
function clean<T extends Record<string, unknown>>(props: T): T {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined && v !== null)) as T;
}


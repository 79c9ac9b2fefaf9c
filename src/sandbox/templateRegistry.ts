// The eventNotificationTemplate store with the service semantics of kaltura-protocol.md §4: partner 0 system
// templates, clone keeping the source status, unique systemName per partner, soft delete, filters and paging.
import { errors } from './apiErrors';
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

export class TemplateRegistry {
  readonly templates = new Map<number, TemplateRecord>();
  private nextId = 1001;

  constructor(seedSystemTemplates = true) {
    if (seedSystemTemplates) {
      for (const def of SYSTEM_TEMPLATES) this.insert(SYSTEM_PARTNER_ID, def.type, TEMPLATE_STATUS.ACTIVE, def.props);
    }
    this.nextId = Math.max(this.nextId, 10001);
  }

  /** Restores persisted templates (ids keep counting after the highest one). */
  load(records: TemplateRecord[]): void {
    for (const record of records) {
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
    out.objectType = cls ? cls.objectType : 'KalturaEventNotificationTemplate';
    return out;
  }

  /** A template visible to the partner (its own or partner 0), not deleted. */
  getVisible(partnerId: number, id: number): TemplateRecord {
    const record = this.templates.get(id);
    if (!record || record.status === TEMPLATE_STATUS.DELETED || (record.partnerId !== partnerId && record.partnerId !== SYSTEM_PARTNER_ID)) {
      throw errors.templateNotFound(id);
    }
    return record;
  }

  /** A template owned by the partner (update, updateStatus, delete cannot touch partner 0). */
  getOwn(partnerId: number, id: number): TemplateRecord {
    const record = this.templates.get(id);
    if (!record || record.status === TEMPLATE_STATUS.DELETED || record.partnerId !== partnerId) throw errors.templateNotFound(id);
    return record;
  }

  private assertUniqueSystemName(partnerId: number, systemName: unknown, exceptId?: number): void {
    if (typeof systemName !== 'string' || systemName === '') return;
    for (const t of this.templates.values()) {
      if (t.partnerId === partnerId && t.id !== exceptId && t.status !== TEMPLATE_STATUS.DELETED && t.props.systemName === systemName) {
        throw errors.duplicateSystemName(systemName);
      }
    }
  }

  add(partnerId: number, input: ApiObject): TemplateRecord {
    const cls = classByObjectType(input.objectType);
    if (!cls) {
      if (!input.objectType || input.objectType === 'KalturaEventNotificationTemplate') throw errors.objectTypeAbstract(input.objectType ?? 'KalturaEventNotificationTemplate');
      throw errors.wrongFormat('eventNotificationTemplate::objectType', `unsupported template class ${input.objectType}; use KalturaHttpNotificationTemplate`);
    }
    const props = parseTemplateInput({ ...input, type: undefined }, cls.objectType, false);
    this.assertUniqueSystemName(partnerId, props.systemName);
    return this.insert(partnerId, cls.type, TEMPLATE_STATUS.ACTIVE, { manualDispatchEnabled: false, automaticDispatchEnabled: true, ...props });
  }

  clone(partnerId: number, sourceId: number, overrides?: ApiObject): TemplateRecord {
    const source = this.getVisible(partnerId, sourceId);
    const cls = classByType(source.type);
    let props: TemplateProps = structuredClone(source.props);
    if (overrides) {
      // The override's class must be the source's class (PHP instanceof against the source's API class).
      if (!cls || overrides.objectType !== cls.objectType) throw errors.wrongType(sourceId, source.type);
      props = { ...props, ...parseTemplateInput(overrides, cls.objectType, true) };
    }
    this.assertUniqueSystemName(partnerId, props.systemName);
    return this.insert(partnerId, source.type, source.status, props);
  }

  update(partnerId: number, id: number, input: ApiObject): TemplateRecord {
    const record = this.getOwn(partnerId, id);
    const cls = classByType(record.type);
    const className = cls?.objectType ?? 'KalturaEventNotificationTemplate';
    if (input.objectType && input.objectType !== className && input.objectType !== 'KalturaEventNotificationTemplate') {
      throw errors.wrongType(id, record.type);
    }
    const changes = parseTemplateInput(input, className, true);
    if (changes.systemName !== undefined && changes.systemName !== record.props.systemName) {
      this.assertUniqueSystemName(partnerId, changes.systemName, id);
    }
    record.props = clean({ ...record.props, ...changes });
    record.updatedAt = now();
    return record;
  }

  updateStatus(partnerId: number, id: number, status: number): TemplateRecord {
    const record = this.getOwn(partnerId, id);
    if (!Object.values(TEMPLATE_STATUS).includes(status as 1 | 2 | 3)) {
      throw errors.invalidParameter('status', 'use 1 (DISABLED), 2 (ACTIVE) or 3 (DELETED)');
    }
    if (status === TEMPLATE_STATUS.ACTIVE) this.assertUniqueSystemName(partnerId, record.props.systemName, id);
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
   * (listTemplates: [0]; list: [own]). Deleted templates are excluded unless statusEqual/statusIn asks for them.
   */
  list(partners: number[], filterInput: unknown, pagerInput: unknown, defaultOrder = '+id'): ListResult {
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

    const statusAsked = statusEqual !== undefined || statusIn !== undefined;
    const matches = [...this.templates.values()].filter((t) =>
      partners.includes(t.partnerId) &&
      (statusAsked || t.status !== TEMPLATE_STATUS.DELETED) &&
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


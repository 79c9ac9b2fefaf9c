// Every action of the `eventnotification_eventnotificationtemplate` service (kaltura-protocol.md §4), typed
// and validated. Objects go out with `objectType`, as the official clients send them.
import type { ZodType } from 'zod';
import type { SessionProvider } from './session';
import {
  TemplateStatus,
  anyTemplateSchema,
  dispatchResultSchema,
  templateListResponseSchema,
  type AnyTemplate,
  type EventNotificationScope,
  type FilterPager,
  type TemplateFilter,
  type TemplateListResponse,
  type TemplateStatusValue,
} from './schemas';

export const TEMPLATE_SERVICE = 'eventnotification_eventnotificationtemplate';
/** The largest page Kaltura serves. */
export const MAX_PAGE_SIZE = 500;

/** A template to send: any fields, plus `objectType` (defaults to KalturaHttpNotificationTemplate). */
export type TemplateInput = Record<string, unknown> & { objectType?: string };

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface ListAllOptions extends RequestOptions {
  /** Default 500. */
  pageSize?: number;
  /** Safety stop. Default 200 pages. */
  maxPages?: number;
}

function filterObject(filter: TemplateFilter | undefined, objectType: string): Record<string, unknown> | undefined {
  return filter ? { objectType, ...filter } : undefined;
}

function pagerObject(pager: FilterPager | undefined): Record<string, unknown> | undefined {
  return pager ? { objectType: 'KalturaFilterPager', ...pager } : undefined;
}

function templateObject(template: TemplateInput): Record<string, unknown> {
  return { ...template, objectType: template.objectType ?? 'KalturaHttpNotificationTemplate' };
}

export class EventNotificationTemplateService {
  constructor(readonly session: SessionProvider) {}

  private call<T>(action: string, params: Record<string, unknown>, schema: ZodType<T>, options: RequestOptions = {}): Promise<T> {
    return this.session.call(TEMPLATE_SERVICE, action, params, { schema, signal: options.signal });
  }

  /** System (partner 0) templates, one page. */
  listTemplates(filter?: TemplateFilter, pager?: FilterPager, options?: RequestOptions): Promise<TemplateListResponse> {
    return this.call(
      'listTemplates',
      { filter: filterObject(filter, 'KalturaEventNotificationTemplateFilter'), pager: pagerObject(pager) },
      templateListResponseSchema,
      options,
    );
  }

  /** The partner's own templates, one page (deleted ones excluded by the server). */
  list(filter?: TemplateFilter, pager?: FilterPager, options?: RequestOptions): Promise<TemplateListResponse> {
    return this.call(
      'list',
      { filter: filterObject(filter, 'KalturaEventNotificationTemplateFilter'), pager: pagerObject(pager) },
      templateListResponseSchema,
      options,
    );
  }

  /** Admin-console style list across partners. */
  listByPartner(filter?: Record<string, unknown>, pager?: FilterPager, options?: RequestOptions): Promise<TemplateListResponse> {
    return this.call(
      'listByPartner',
      { filter: filter ? { objectType: 'KalturaPartnerFilter', ...filter } : undefined, pager: pagerObject(pager) },
      templateListResponseSchema,
      options,
    );
  }

  /** All system templates, following every page. */
  listAllTemplates(filter?: TemplateFilter, options?: ListAllOptions): Promise<AnyTemplate[]> {
    return this.collectPages((pager) => this.listTemplates(filter, pager, options), options);
  }

  /** All of the partner's templates, following every page. */
  listAll(filter?: TemplateFilter, options?: ListAllOptions): Promise<AnyTemplate[]> {
    return this.collectPages((pager) => this.list(filter, pager, options), options);
  }

  private async collectPages(fetchPage: (pager: FilterPager) => Promise<TemplateListResponse>, options: ListAllOptions = {}): Promise<AnyTemplate[]> {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
    const maxPages = options.maxPages ?? 200;
    const all: AnyTemplate[] = [];
    const seen = new Set<number>();
    for (let pageIndex = 1; pageIndex <= maxPages; pageIndex++) {
      const page = await fetchPage({ pageSize, pageIndex });
      let added = 0;
      for (const template of page.objects) {
        // Items can shift between pages while paging; keep each id once.
        if (seen.has(template.id)) continue;
        seen.add(template.id);
        all.push(template);
        added++;
      }
      if (page.objects.length < pageSize || all.length >= page.totalCount || added === 0) return all;
    }
    return all;
  }

  /** Copies a template (usually a system one) into the partner, applying `overrides`. Keeps the source status. */
  clone(id: number, overrides?: TemplateInput, options?: RequestOptions): Promise<AnyTemplate> {
    return this.call('clone', { id, eventNotificationTemplate: overrides ? templateObject(overrides) : undefined }, anyTemplateSchema, options);
  }

  add(template: TemplateInput, options?: RequestOptions): Promise<AnyTemplate> {
    return this.call('add', { eventNotificationTemplate: templateObject(template) }, anyTemplateSchema, options);
  }

  get(id: number, options?: RequestOptions): Promise<AnyTemplate> {
    return this.call('get', { id }, anyTemplateSchema, options);
  }

  /** Sends only the given fields. Read-only fields (id, status, type, …) are refused by the server. */
  update(id: number, changes: TemplateInput, options?: RequestOptions): Promise<AnyTemplate> {
    return this.call('update', { id, eventNotificationTemplate: templateObject(changes) }, anyTemplateSchema, options);
  }

  updateStatus(id: number, status: TemplateStatusValue, options?: RequestOptions): Promise<AnyTemplate> {
    return this.call('updateStatus', { id, status }, anyTemplateSchema, options);
  }

  /**
   * Makes the template ACTIVE unless it already is: Kaltura re-checks the systemName on activation without
   * excluding the template itself, so updateStatus(ACTIVE) on an active template fails with DUPLICATE_SYSTEM_NAME.
   */
  async activate(id: number, options?: RequestOptions): Promise<AnyTemplate> {
    const current = await this.get(id, options);
    if (current.status === TemplateStatus.ACTIVE) return current;
    return this.updateStatus(id, TemplateStatus.ACTIVE, options);
  }

  /** Soft delete: the status becomes DELETED and later gets answer NOT_FOUND. */
  async delete(id: number, options?: RequestOptions): Promise<void> {
    await this.session.call(TEMPLATE_SERVICE, 'delete', { id }, { signal: options?.signal });
  }

  /** Triggers the template by hand (needs manualDispatchEnabled). Returns the batch job id. */
  dispatch(id: number, scope: EventNotificationScope, options?: RequestOptions): Promise<number> {
    return this.call(
      'dispatch',
      { id, scope: { objectType: 'KalturaEventNotificationScope', objectId: scope.objectId, scopeObjectType: scope.scopeObjectType } },
      dispatchResultSchema,
      options,
    );
  }
}

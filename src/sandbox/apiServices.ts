// The API surface: service/action → handler, with the access checks Kaltura makes before an action runs
// (KS present and valid, SERVICE_FORBIDDEN for the wrong session type, FEATURE_FORBIDDEN for partners without
// the plugin). Services: system, session, apptoken, eventnotification_eventnotificationtemplate, baseentry/media,
// category, categoryentry.
import { z } from 'zod';
import { KS_TYPE_ADMIN, KS_TYPE_USER, APP_TOKEN_HASH_TYPES, type AppTokenHashType } from '../core/kaltura/ks';
import { errors, SandboxApiException } from './apiErrors';
import { categoryEntryToApiObject, type CategoryInput, type CategoryStore, type SandboxCategory, type SandboxCategoryEntry } from './categories';
import { entryToApiObject, parseEntryStatus, type EntryStore } from './entries';
import type { EventDispatcher } from './eventDispatcher';
import { resolveReferences, splitMultiRequest, type ParamTree } from './requestParams';
import { ADMIN_CONSOLE_PARTNER_ID, EVENT_NOTIFICATION_FEATURE, type SessionContext, type SessionRegistry } from './sessions';
import { param, zApiObject, zInt, zStr } from './templateSchema';
import type { PermissionNotice } from './partnerPermissions';
import { SYSTEM_PARTNER_ID, type Caller, type TemplateTable } from './templateTable';
import { ENTRY_STATUS, type ApiObject, type EntryInput, type SandboxEntry } from './types';

export interface ApiDeps {
  sessions: SessionRegistry;
  templates: TemplateTable;
  entries: EntryStore;
  dispatcher: EventDispatcher;
  /** Entry changes made through the API fire events the same way the admin endpoint does. */
  addEntry(input: EntryInput): SandboxEntry;
  updateEntry(id: string, changes: EntryInput): SandboxEntry;
  deleteEntry(id: string): SandboxEntry;
  /** media.addFromUrl: a new entry in IMPORT whose status moves on to READY over a few seconds, as Kaltura's batch does. */
  importEntry(input: EntryInput, url: string): SandboxEntry;
  categories: CategoryStore;
  /** Category changes fire events on the category, on the assignment (categoryEntry) and on the entry. */
  addCategory(partnerId: number, input: CategoryInput): SandboxCategory;
  deleteCategory(partnerId: number, id: number): void;
  assignEntry(partnerId: number, entryId: string, categoryId: number, userId?: string): SandboxCategoryEntry;
  unassignEntry(partnerId: number, entryId: string, categoryId: number): SandboxCategoryEntry;
  changed(): void;
}

interface Call {
  service: string;
  action: string;
  params: ParamTree;
  session?: SessionContext;
  /** Response headers naming members Kaltura did not apply (partnerPermissions.ts). */
  notices: PermissionNotice[];
}

type Access = 'none' | 'ks' | 'admin';

interface ActionDef {
  access: Access;
  feature?: string;
  run(call: Call & { session: SessionContext }, deps: ApiDeps): unknown;
}

const TEMPLATE_SERVICE = 'eventnotification_eventnotificationtemplate';
const now = (): number => Math.floor(Date.now() / 1000);

function objectParam(params: ParamTree, name: string, required: boolean): ApiObject | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw errors.missingParameter(name);
    return undefined;
  }
  const parsed = zApiObject.safeParse(raw);
  if (!parsed.success) throw errors.invalidParameter(name, 'expected an object');
  return parsed.data as ApiObject;
}

function listResponse(result: { objects: ApiObject[]; totalCount: number }, objectType: string): ApiObject {
  return { objects: result.objects, totalCount: result.totalCount, objectType };
}

const callerOf = (call: Call & { session: SessionContext }): Caller => ({
  partnerId: call.session.partnerId,
  adminConsole: call.session.adminConsole,
  notices: call.notices,
});

const templateActions: Record<string, ActionDef> = {
  listtemplates: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: ({ params }, d) =>
      listResponse(d.templates.list([SYSTEM_PARTNER_ID], params.filter, params.pager, '+id'), 'KalturaEventNotificationTemplateListResponse'),
  },
  list: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: ({ params, session }, d) =>
      listResponse(d.templates.list([session.partnerId], params.filter, params.pager), 'KalturaEventNotificationTemplateListResponse'),
  },
  listbypartner: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: ({ params, session }, d) => {
      const filter = (params.filter ?? {}) as Record<string, unknown>;
      const ids = [filter.idEqual, ...(String(filter.idIn ?? '').split(','))].filter((v) => v !== undefined && v !== '').map(Number);
      const partners = ids.length > 0 ? ids : [session.partnerId];
      return listResponse(d.templates.list(partners, { orderBy: '-createdAt' }, params.pager), 'KalturaEventNotificationTemplateListResponse');
    },
  },
  get: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: ({ params, session }, d) => d.templates.toApiObject(d.templates.getOwn(session.partnerId, param(params, 'id', zInt, true))),
  },
  add: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: (call, d) => {
      const record = d.templates.add(callerOf(call), objectParam(call.params, 'eventNotificationTemplate', true)!);
      d.changed();
      return d.templates.toApiObject(record);
    },
  },
  clone: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: (call, d) => {
      const { params } = call;
      const record = d.templates.clone(callerOf(call), param(params, 'id', zInt, true), objectParam(params, 'eventNotificationTemplate', false));
      d.changed();
      return d.templates.toApiObject(record);
    },
  },
  update: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: (call, d) => {
      const { params } = call;
      const record = d.templates.update(callerOf(call), param(params, 'id', zInt, true), objectParam(params, 'eventNotificationTemplate', true)!);
      d.changed();
      return d.templates.toApiObject(record);
    },
  },
  updatestatus: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: (call, d) => {
      const { params } = call;
      const record = d.templates.updateStatus(callerOf(call), param(params, 'id', zInt, true), param(params, 'status', zInt, true));
      d.changed();
      return d.templates.toApiObject(record);
    },
  },
  delete: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: ({ params, session }, d) => {
      d.templates.delete(session.partnerId, param(params, 'id', zInt, true));
      d.changed();
      return null;
    },
  },
  dispatch: {
    access: 'admin',
    feature: EVENT_NOTIFICATION_FEATURE,
    run: ({ params, session }, d) => {
      const id = param(params, 'id', zInt, true);
      const template = d.templates.getOwn(session.partnerId, id);
      const scope = objectParam(params, 'scope', true)!;
      if (template.props.manualDispatchEnabled !== true) throw errors.dispatchDisabled(id);
      const objectId = scope.objectId === undefined || scope.objectId === null ? '' : String(scope.objectId);
      const scopeObjectType = String(scope.scopeObjectType ?? template.props.eventObjectType ?? '1');
      const object = dispatchObject(d, session.partnerId, scopeObjectType, objectId);
      const eventScope = { object, partnerId: session.partnerId, modifiedColumns: [] };
      const jobId = d.dispatcher.createJob(template, session.partnerId, String(template.props.eventType ?? ''), object, eventScope, 'manual');
      d.changed();
      return jobId;
    },
  },
};

/** The object a manual dispatch is about: a real entry for ENTRY scopes, a minimal stand-in for other types. */
function dispatchObject(d: ApiDeps, partnerId: number, scopeObjectType: string, objectId: string): ApiObject {
  if (scopeObjectType === '1') {
    const entry = d.entries.get(objectId);
    if (!entry || entry.partnerId !== partnerId || entry.status === ENTRY_STATUS.DELETED) throw errors.invalidObjectId(objectId);
    return entryToApiObject(entry);
  }
  const classes: Record<string, string> = {
    '2': 'KalturaCategory', '3': 'KalturaAsset', '4': 'KalturaFlavorAsset', '5': 'KalturaThumbAsset', '8': 'KalturaUser',
    '37': 'KalturaCategoryEntry', '42': 'KalturaEntryVendorTask', 'metadataEventNotifications.Metadata': 'KalturaMetadata',
  };
  return { id: objectId, partnerId, objectType: classes[scopeObjectType] ?? 'KalturaObjectBase' };
}

const sessionActions: Record<string, ActionDef> = {
  start: {
    access: 'none',
    run: ({ params }, d) => {
      const secret = param(params, 'secret', zStr, true);
      const partnerId = param(params, 'partnerId', zInt) ?? -1;
      const type = param(params, 'type', zInt) ?? KS_TYPE_USER;
      const expiry = param(params, 'expiry', zInt) || 86400;
      return d.sessions.start(secret, param(params, 'userId', zStr) ?? '', type, partnerId, expiry, param(params, 'privileges', zStr) ?? '');
    },
  },
  startwidgetsession: {
    access: 'none',
    run: ({ params }, d) => {
      const result = d.sessions.startWidgetSession(param(params, 'widgetId', zStr, true), param(params, 'expiry', zInt) || 86400);
      return { partnerId: result.partnerId, ks: result.ks, userId: 0, objectType: 'KalturaStartWidgetSessionResponse' };
    },
  },
  get: {
    access: 'ks',
    run: ({ session }) => ({
      ks: session.ks,
      sessionType: session.type,
      partnerId: session.partnerId,
      userId: session.userId,
      expiry: session.expiry,
      privileges: session.privileges,
      objectType: 'KalturaSessionInfo',
    }),
  },
  end: {
    access: 'ks',
    run: ({ session }, d) => {
      d.sessions.revoke(session.ks);
      return null;
    },
  },
};

const appTokenInput = z.looseObject({
  hashType: z.enum(APP_TOKEN_HASH_TYPES as unknown as [AppTokenHashType, ...AppTokenHashType[]]).optional(),
  sessionType: zInt.optional(),
  sessionUserId: zStr.optional(),
  sessionDuration: zInt.optional(),
  sessionPrivileges: zStr.optional(),
  expiry: zInt.optional(),
  description: zStr.optional(),
});

function appTokenObject(token: object): ApiObject {
  return { ...token, objectType: 'KalturaAppToken' };
}

const appTokenActions: Record<string, ActionDef> = {
  add: {
    access: 'admin',
    run: ({ params, session }, d) => {
      const parsed = appTokenInput.safeParse(objectParam(params, 'appToken', true));
      if (!parsed.success) throw errors.invalidParameter('appToken', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const { objectType: _ignored, ...input } = parsed.data;
      d.changed();
      return appTokenObject(d.sessions.addAppToken(session.partnerId, input as Record<string, unknown>));
    },
  },
  get: { access: 'admin', run: ({ params, session }, d) => appTokenObject(d.sessions.appToken(session.partnerId, param(params, 'id', zStr, true))) },
  list: {
    access: 'admin',
    run: ({ session }, d) => {
      const objects = [...d.sessions.appTokens.values()].filter((t) => t.partnerId === session.partnerId && t.status !== 3).map(appTokenObject);
      return { objects, totalCount: objects.length, objectType: 'KalturaAppTokenListResponse' };
    },
  },
  delete: {
    access: 'admin',
    run: ({ params, session }, d) => {
      d.sessions.appToken(session.partnerId, param(params, 'id', zStr, true)).status = 3;
      d.changed();
      return null;
    },
  },
  startsession: {
    access: 'ks',
    run: ({ params, session }, d) => {
      const result = d.sessions.startAppTokenSession(session, param(params, 'id', zStr, true), param(params, 'tokenHash', zStr, true), {
        ...(params.userId !== undefined && { userId: param(params, 'userId', zStr) }),
        ...(params.type !== undefined && { type: param(params, 'type', zInt) }),
        ...(params.expiry !== undefined && { expiry: param(params, 'expiry', zInt) }),
        ...(params.sessionPrivileges !== undefined && { sessionPrivileges: param(params, 'sessionPrivileges', zStr) }),
      });
      return { ...result, objectType: 'KalturaSessionInfo' };
    },
  },
};

function entryInputFrom(object: ApiObject | undefined): EntryInput {
  if (!object) return {};
  const input: EntryInput = {};
  for (const key of ['name', 'description', 'tags', 'userId', 'referenceId', 'categories'] as const) {
    if (object[key] !== undefined && object[key] !== null) input[key] = String(object[key]);
  }
  if (object.mediaType !== undefined) input.mediaType = Number(object.mediaType);
  if (object.status !== undefined) input.status = parseEntryStatus(String(object.status));
  return input;
}

/** baseEntry/media: `add(entry)`, `update(entryId, baseEntry|mediaEntry)`, `get`, `list`, `delete`. */
function entryActions(updateParam: string): Record<string, ActionDef> {
  const own = (d: ApiDeps, session: SessionContext, id: string): SandboxEntry => {
    const entry = d.entries.get(id);
    if (!entry || entry.partnerId !== session.partnerId || entry.status === ENTRY_STATUS.DELETED) throw errors.entryNotFound(id);
    return entry;
  };
  return {
    get: { access: 'ks', run: ({ params, session }, d) => entryToApiObject(own(d, session, param(params, 'entryId', zStr, true))) },
    list: {
      access: 'ks',
      run: ({ session }, d) => {
        const objects = d.entries.list(session.partnerId).filter((e) => e.status !== ENTRY_STATUS.DELETED).map(entryToApiObject);
        return { objects, totalCount: objects.length, objectType: 'KalturaMediaListResponse' };
      },
    },
    add: {
      access: 'ks',
      run: ({ params, session }, d) =>
        entryToApiObject(d.addEntry({ status: ENTRY_STATUS.READY, ...entryInputFrom(objectParam(params, 'entry', true)), partnerId: session.partnerId })),
    },
    update: {
      access: 'ks',
      run: ({ params, session }, d) => {
        const id = param(params, 'entryId', zStr, true);
        own(d, session, id);
        const object = objectParam(params, updateParam, true)!;
        for (const field of ['id', 'partnerId', 'status', 'createdAt', 'updatedAt']) {
          if (object[field] !== undefined && object[field] !== null) throw errors.notUpdatable(`${object.objectType ?? 'KalturaMediaEntry'}::${field}`);
        }
        return entryToApiObject(d.updateEntry(id, entryInputFrom(object)));
      },
    },
    delete: {
      access: 'ks',
      run: ({ params, session }, d) => {
        d.deleteEntry(own(d, session, param(params, 'entryId', zStr, true)).id);
        return null;
      },
    },
    addfromurl: {
      access: 'ks',
      run: ({ params, session }, d) => {
        const url = param(params, 'url', zStr, true);
        if (!/^https?:\/\/[^\s/]+/i.test(url)) throw errors.invalidParameter('url', 'expected an http:// or https:// URL');
        const input = entryInputFrom(objectParam(params, updateParam, true));
        return entryToApiObject(d.importEntry({ ...input, status: ENTRY_STATUS.IMPORT, partnerId: session.partnerId }, url));
      },
    },
  };
}

function categoryInputFrom(object: ApiObject): CategoryInput {
  const input: CategoryInput = {};
  for (const key of ['name', 'description', 'tags', 'referenceId'] as const) {
    if (object[key] !== undefined && object[key] !== null) input[key] = String(object[key]);
  }
  if (object.parentId !== undefined && object.parentId !== null && object.parentId !== '') {
    const parentId = Number(object.parentId);
    if (!Number.isInteger(parentId)) throw errors.invalidParameter('category:parentId', 'expected an integer');
    input.parentId = parentId;
  }
  return input;
}

/** category: `add(category)`, `get(id)`, `delete(id)`, `list()`. */
const categoryActions: Record<string, ActionDef> = {
  add: {
    access: 'ks',
    run: ({ params, session }, d) => d.categories.toApiObject(d.addCategory(session.partnerId, categoryInputFrom(objectParam(params, 'category', true)!))),
  },
  get: { access: 'ks', run: ({ params, session }, d) => d.categories.toApiObject(d.categories.get(session.partnerId, param(params, 'id', zInt, true))) },
  delete: {
    access: 'ks',
    run: ({ params, session }, d) => {
      d.deleteCategory(session.partnerId, param(params, 'id', zInt, true));
      return null;
    },
  },
  list: {
    access: 'ks',
    run: ({ session }, d) => {
      const objects = d.categories.list(session.partnerId).map((c) => d.categories.toApiObject(c));
      return { objects, totalCount: objects.length, objectType: 'KalturaCategoryListResponse' };
    },
  },
};

/** categoryEntry: `add(categoryEntry)`, `delete(entryId, categoryId)`, `list(filter)` (entryIdEqual or categoryIdEqual). */
const categoryEntryActions: Record<string, ActionDef> = {
  add: {
    access: 'ks',
    run: ({ params, session }, d) => {
      const object = objectParam(params, 'categoryEntry', true)!;
      if (object.categoryId === undefined || object.categoryId === null || object.categoryId === '') throw errors.cannotBeNull('categoryId');
      if (object.entryId === undefined || object.entryId === null || object.entryId === '') throw errors.cannotBeNull('entryId');
      const categoryId = Number(object.categoryId);
      if (!Number.isInteger(categoryId)) throw errors.invalidParameter('categoryEntry:categoryId', 'expected an integer');
      return categoryEntryToApiObject(d.assignEntry(session.partnerId, String(object.entryId), categoryId, session.userId || undefined));
    },
  },
  delete: {
    access: 'ks',
    run: ({ params, session }, d) => {
      d.unassignEntry(session.partnerId, param(params, 'entryId', zStr, true), param(params, 'categoryId', zInt, true));
      return null;
    },
  },
  list: {
    access: 'ks',
    run: ({ params, session }, d) => {
      const filter = (params.filter ?? {}) as ParamTree;
      const entryId = filter.entryIdEqual === undefined ? undefined : String(filter.entryIdEqual);
      const categoryId = filter.categoryIdEqual === undefined ? undefined : Number(filter.categoryIdEqual);
      const objects = d.categories
        .assignments(session.partnerId, { ...(entryId ? { entryId } : {}), ...(categoryId ? { categoryId } : {}) })
        .map(categoryEntryToApiObject);
      return { objects, totalCount: objects.length, objectType: 'KalturaCategoryEntryListResponse' };
    },
  },
};

const SERVICES: Record<string, Record<string, ActionDef>> = {
  system: {
    ping: { access: 'none', run: () => true },
    gettime: { access: 'none', run: () => now() },
  },
  session: sessionActions,
  apptoken: appTokenActions,
  [TEMPLATE_SERVICE]: templateActions,
  baseentry: entryActions('baseEntry'),
  media: entryActions('mediaEntry'),
  category: categoryActions,
  categoryentry: categoryEntryActions,
};

/** Runs one service/action call; errors come back as SandboxApiException. */
export function runCall(call: Call, deps: ApiDeps): unknown {
  const serviceKey = call.service.toLowerCase();
  const service = SERVICES[serviceKey];
  if (!service) throw errors.serviceDoesNotExist(call.service);
  const def = service[call.action.toLowerCase()];
  if (!def) throw errors.actionDoesNotExist(call.action, call.service);
  if (def.access === 'none') return def.run({ ...call, session: undefined as unknown as SessionContext }, deps);
  const ks = call.params.ks;
  if (typeof ks !== 'string' || ks === '') throw errors.missingKs();
  let session = deps.sessions.validate(ks);
  // The Admin Console (partner -2) acts for the partner named by the request's partnerId, as deployment scripts do.
  if (session.partnerId === ADMIN_CONSOLE_PARTNER_ID) {
    const target = param(call.params, 'partnerId', zInt);
    if (target !== undefined && target !== ADMIN_CONSOLE_PARTNER_ID) {
      if (!deps.sessions.partner(target)) throw errors.invalidParameter('partnerId', `partner ${target} does not exist`);
      session = { ...session, partnerId: target };
    }
  }
  if (def.access === 'admin' && session.type !== KS_TYPE_ADMIN) throw errors.serviceForbidden(`${serviceKey}->${call.action}`);
  if (def.feature && !deps.sessions.partner(session.partnerId)?.features.includes(def.feature)) throw errors.featureForbidden(def.feature);
  return def.run({ ...call, session }, deps);
}

function toResult(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SandboxApiException) return err.toBody();
    return errors.invalidParameter('request', err instanceof Error ? err.message : String(err)).toBody();
  }
}

/**
 * A single call or a multirequest; every error becomes a KalturaAPIException body (HTTP 200). `notices` collects
 * the response headers for members that were not applied.
 */
export function handleApiRequest(service: string, action: string, params: ParamTree, deps: ApiDeps, notices: PermissionNotice[] = []): unknown {
  if (service.toLowerCase() === 'multirequest') {
    const results: unknown[] = [];
    for (const sub of splitMultiRequest(params)) {
      const resolved = resolveReferences(sub.params, results) as ParamTree;
      results.push(toResult(() => runCall({ service: sub.service, action: sub.action, params: resolved, notices }, deps)));
    }
    return results;
  }
  return toResult(() => runCall({ service, action, params, notices }, deps));
}
